import type { Scheduler } from './scheduler.ts';

/** The message the task queue carries: which task to advance. */
export interface AdvanceMessage {
  taskId: string;
}

export function isAdvanceMessage(body: unknown): body is AdvanceMessage {
  return typeof body === 'object' && body !== null && typeof (body as { taskId?: unknown }).taskId === 'string';
}

// Cloudflare Queues accept delays of at most 12 hours; the sweep covers longer waits.
const MAX_DELAY_SECONDS = 12 * 60 * 60;

/** Workers: each "call again" is a Queue message, delayed to the second. */
export function createQueueScheduler(queue: Queue<AdvanceMessage>): Scheduler {
  return {
    async schedule(taskId, delayMs) {
      const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000)));
      await queue.send({ taskId }, delaySeconds > 0 ? { delaySeconds } : undefined);
    },
  };
}
