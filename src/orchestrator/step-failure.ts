import { and, eq } from 'drizzle-orm';
import { tasks } from '../db/schema/tasks.ts';
import type { Db } from '../db/types.ts';
import { complete, type StepResult } from './step.ts';
import type { TaskRow } from './task-store.ts';

/** However many attempts are allowed, one wait between them is at most an hour. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/** The reason of a task that gave up after its step kept failing. */
export const STEP_FAILED = 'Step failed.';

const MAX_ERROR_CHARS = 500;

/** The wait after the `attempts`-th consecutive failure: base, 2×base, 4×base …, capped. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * An error as a task message may show it: its message only (never a stack),
 * URL user-info (user:password@, a token@) masked, and bounded in length.
 */
export function errorText(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const masked = raw.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
  return masked.length > MAX_ERROR_CHARS ? `${masked.slice(0, MAX_ERROR_CHARS)}…` : masked;
}

/**
 * Records one more failed attempt and gives the lease up in one conditional
 * UPDATE: only the lease holder writes, so an executor whose lease was taken
 * over cannot count an attempt of another's step.
 */
export async function recordFailedAttempt(
  db: Db,
  taskId: string,
  token: string,
  attempts: number,
  nextRunAt: Date,
): Promise<boolean> {
  const rows = await db
    .update(tasks)
    .set({ stepAttempts: attempts, leaseOwner: null, leaseUntil: null, nextRunAt })
    .where(and(eq(tasks.taskId, taskId), eq(tasks.leaseOwner, token)))
    .returning({ taskId: tasks.taskId });
  return rows.length === 1;
}

/**
 * The final outcome of a task whose step failed `attempts` times in a row:
 * complete with result failure, a message naming the step and the error,
 * and its live subtasks told to terminate (nothing would collect them).
 * The error is also the reason under '' in step_state, which a parent shows
 * for each of the subtask's nodes that has no reason of its own.
 */
export function gaveUp(row: TaskRow, attempts: number, error: string): StepResult {
  const text = `Step ${row.step ?? 'start'} of ${row.action} failed ${attempts} time(s) in a row; giving up: ${error}`;
  const state = row.stepState ?? {};
  const reasons = typeof state['reasons'] === 'object' ? (state['reasons'] as Record<string, string>) : {};
  return complete(
    { status: 'failure', message: text, reason: STEP_FAILED },
    [{ message: text, error: true, context: row.taskId, contextType: 'task' }],
    { terminateSubtasks: true, stepState: { ...state, reasons: { ...reasons, '': text } } },
  );
}
