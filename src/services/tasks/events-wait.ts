/**
 * Waiting for task events: look at the database every TASK_EVENTS_POLL_MS
 * until there are events or the wait is over. A timer between looks, never
 * a busy loop: on Workers a waiting request costs no CPU.
 */
import { sleep } from '../../core/abort.ts';
import type { ServiceContext } from '../context.ts';
import { readEvents, type EventCursor, type TaskEvent } from './events-read.ts';

type WaitContext = Pick<ServiceContext, 'db' | 'config'>;

/** The cursor's next events, waiting up to `waitMs` for some; [] when none came (or the cursor is done). */
export async function waitForEvents(ctx: WaitContext, cursor: EventCursor, waitMs: number, signal?: AbortSignal): Promise<TaskEvent[]> {
  const until = Date.now() + waitMs;
  for (;;) {
    const events = await readEvents(ctx, cursor);
    const left = until - Date.now();
    if (events.length > 0 || cursor.done || left <= 0 || signal?.aborted) return events;
    await sleep(Math.min(ctx.config.TASK_EVENTS_POLL_MS, left), signal);
  }
}
