import { sleep as abortableSleep } from '../core/abort.ts';
import type { Logger } from '../core/log.ts';
import { EdgeUnreachable } from './edge-client.ts';

export interface BackoffOptions {
  /** The first delay (default 1 s). */
  minMs: number;
  /** The longest delay (default 60 s). */
  maxMs: number;
  /** [0, 1); Math.random by default, fixed in tests. */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": the n-th delay is between half
 * and all of min·2ⁿ (capped at max), so agents cut off together by one
 * outage do not come back in step, and none retries sooner than half the
 * step.
 */
export class Backoff {
  #attempt = 0;
  constructor(readonly options: BackoffOptions) {}

  next(): number {
    const { minMs, maxMs } = this.options;
    const step = Math.min(maxMs, minMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt += 1;
    const random = this.options.random ?? Math.random;
    return Math.round(step / 2 + random() * (step / 2));
  }

  reset(): void {
    this.#attempt = 0;
  }
}

/** Sleeps `ms`, or less when `signal` aborts (the agent is stopping). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = abortableSleep;

export interface RetryDeps {
  backoff: Backoff;
  sleep: Sleep;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Runs `fn` until it does not fail with EdgeUnreachable, backing off between
 * tries (at least the edge's Retry-After); other errors (401, 4xx) are
 * thrown at once. Null when the agent stopped while waiting.
 */
export async function untilReached<T>(deps: RetryDeps, what: string, fn: () => Promise<T>): Promise<T | null> {
  for (;;) {
    if (deps.signal?.aborted) return null;
    try {
      const out = await fn();
      deps.backoff.reset();
      return out;
    } catch (err) {
      if (!(err instanceof EdgeUnreachable)) throw err;
      if (deps.signal?.aborted) return null;
      const delayMs = Math.max(deps.backoff.next(), err.retryAfterMs ?? 0);
      deps.logger.warn(`edge unreachable (${what}); retrying`, { error: err.message, retry_in_ms: delayMs });
      await deps.sleep(delayMs, deps.signal);
    }
  }
}
