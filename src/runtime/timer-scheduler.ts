import type { Logger } from '../core/log.ts';
import type { Scheduler } from '../orchestrator/scheduler.ts';

/** What the timer queue drives: the orchestrator's advance and sweep. */
export interface TimerTarget {
  advance(taskId: string): Promise<unknown>;
  sweep(): Promise<number>;
}

export interface TimerSchedulerOptions {
  logger: Logger;
  /** How often the sweep looks for due and abandoned tasks (default one minute). */
  sweepIntervalMs?: number;
  /** Advances running at once in this process (default 8). */
  concurrency?: number;
}

export interface TimerScheduler extends Scheduler {
  /** Sweeps at once and then every sweepIntervalMs, and starts running scheduled tasks. */
  start(target: TimerTarget): void;
  /** Clears every timer and waits for the advances in flight. */
  stop(): Promise<void>;
}

// setTimeout fires at once for delays beyond a signed 32-bit millisecond count.
const MAX_DELAY_MS = 2_147_483_647;

/**
 * The Node/Deno scheduler: an in-process timer queue calling the
 * orchestrator's advance, one timer per task (a later request for a task
 * already due sooner changes nothing), a bounded number of advances at once,
 * and never two advances of one task from this process. The sweep finds
 * what the timers do not know: tasks of a previous run of the process,
 * tasks another instance left when it crashed, and wake-ups lost anywhere.
 */
export function createTimerScheduler(options: TimerSchedulerOptions): TimerScheduler {
  const { logger } = options;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const timers = new Map<string, { at: number; handle: ReturnType<typeof setTimeout> }>();
  const ready = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let target: TimerTarget | null = null;
  let sweeper: ReturnType<typeof setInterval> | null = null;
  let stopped = false;

  const pump = () => {
    if (!target || stopped) return;
    for (const taskId of ready) {
      if (running.size >= concurrency) return;
      ready.delete(taskId);
      if (running.has(taskId)) {
        again.add(taskId);
        continue;
      }
      const work = target
        .advance(taskId)
        .then(
          () => undefined,
          (err: unknown) => logger.error('task advance failed', { taskId, error: String(err) }),
        )
        .finally(() => {
          running.delete(taskId);
          if (again.delete(taskId)) ready.add(taskId);
          pump();
        });
      running.set(taskId, work);
    }
  };

  const fire = (taskId: string) => {
    timers.delete(taskId);
    ready.add(taskId);
    pump();
  };

  const sweep = () => {
    if (!target || stopped) return;
    target.sweep().then(
      (n) => {
        if (n > 0) logger.debug('sweep scheduled tasks', { count: n });
      },
      (err: unknown) => logger.error('task sweep failed', { error: String(err) }),
    );
  };

  return {
    async schedule(taskId, delayMs) {
      if (stopped) return;
      const delay = Math.min(Math.max(0, delayMs), MAX_DELAY_MS);
      const at = Date.now() + delay;
      const known = timers.get(taskId);
      if (known && known.at <= at) return;
      if (known) clearTimeout(known.handle);
      timers.set(taskId, { at, handle: setTimeout(() => fire(taskId), delay) });
    },
    start(t) {
      if (target || stopped) return;
      target = t;
      sweep();
      sweeper = setInterval(sweep, options.sweepIntervalMs ?? 60_000);
      pump();
    },
    async stop() {
      stopped = true;
      if (sweeper) clearInterval(sweeper);
      for (const { handle } of timers.values()) clearTimeout(handle);
      timers.clear();
      ready.clear();
      again.clear();
      await Promise.all(running.values());
    },
  };
}
