import type { Database } from '../db/types.ts';
import { probeWrite } from '../db/write-probe.ts';
import type { HealthProbe } from './context.ts';

export interface DatabaseProbeOptions {
  /** How long one probe's answer is reused (HEALTH_WRITE_PROBE_CACHE_MS). */
  cacheMs: number;
  /** Milliseconds, for the cache; the real clock unless a test moves it. */
  now?: () => number;
}

/**
 * The `database` health check: the database answers a read and takes a
 * write (see probeWrite), so a full or read-only disk is a failing check,
 * and a passing one again as soon as a write succeeds.
 *
 * /health is hit often (load balancers, every few seconds per balancer), so
 * an answer is reused for `cacheMs`: at most one probe write per process or
 * isolate in that time, and a failure or a recovery shows within it. Only
 * settled answers are shared, never a probe in flight: a Workers isolate may
 * not await a promise of another request's I/O, and probes that start
 * together cost a write each, which is bounded by the requests themselves.
 */
export function databaseProbe(database: Database, options: DatabaseProbeOptions): HealthProbe {
  const now = options.now ?? (() => Date.now());
  let last: { at: number; error: string | null } | null = null;

  async function probe(): Promise<string | null> {
    try {
      await database.ping();
    } catch (err) {
      return `does not answer: ${reason(err)}`;
    }
    try {
      await probeWrite(database.db);
      return null;
    } catch (err) {
      return `cannot be written: ${reason(err)}`;
    }
  }

  return {
    name: 'database',
    async check() {
      const at = now();
      if (!last || at - last.at >= options.cacheMs) last = { at, error: await probe() };
      if (last.error !== null) throw new Error(`${database.kind} database ${last.error}`);
      return `${database.kind} database answers and takes writes`;
    },
  };
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));
