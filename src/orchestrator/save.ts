import { sql } from 'drizzle-orm';
import type { Db } from '../db/types.ts';
import { runBatch, type BatchStatement } from '../db/batch.ts';
import { insertMessageEvents, insertTaskEvents } from '../db/task-events.ts';
import { holdsLease } from './lease.ts';
import {
  finishStep,
  insertBuildData,
  insertSubtasks,
  releaseNodeClaims,
  reopenSubtask,
  terminateSubtasks,
  wakeParent,
} from './save-statements.ts';
import type { StepResult } from './step.ts';
import { isLive } from './subtasks.ts';
import { insertResultMessages, type TaskRow } from './task-store.ts';

export interface SaveOutcome {
  /** False when the lease was lost (expired and taken over): nothing was written. */
  saved: boolean;
  /** Subtasks marked for termination, to schedule. */
  terminated: string[];
  /** The task was marked for termination while the step ran: schedule it now. */
  terminateNow: boolean;
}

/**
 * Saves a step in one batch (atomic on D1 and libSQL). Every statement is
 * guarded by the lease, and the task's own UPDATE, which releases the lease,
 * comes last: if the lease was lost, no statement of the batch writes.
 * Messages, new subtasks and build data are each one statement
 * (save-statements.ts), so a step costs a fixed number of statements however
 * many nodes it touched. The task events (db/task-events.ts) of the step's
 * changes go in the same batch: one statement for its subtasks' changes, one
 * for its messages, and one, after the task's own UPDATE, for the task.
 */
export async function saveStep(db: Db, row: TaskRow, token: string, r: StepResult, now: Date): Promise<SaveOutcome> {
  const guard = holdsLease(row.taskId, token);
  const at = now.getTime();
  const statements: BatchStatement[] = [];
  if (r.messages.length > 0) statements.push(insertResultMessages(db, row.taskId, r.messages, at, guard));
  if (r.subtasks && r.subtasks.length > 0) statements.push(insertSubtasks(db, row, r.subtasks, at, guard));
  if (r.buildData && r.buildData.length > 0) statements.push(insertBuildData(db, row.taskId, r.buildData, guard));
  for (const reopen of r.reopen ?? []) statements.push(reopenSubtask(db, reopen, now, guard));
  const terminateIndex = r.terminateSubtasks ? statements.length : -1;
  if (r.terminateSubtasks) statements.push(terminateSubtasks(db, row, now, guard));
  const final = r.status === 'complete' || r.status === 'terminated';
  if (final && !row.parentTaskId) statements.push(releaseNodeClaims(db, row.taskId, guard));
  if (final && row.parentTaskId) statements.push(wakeParent(db, row.parentTaskId, now, guard));
  if (r.subtasks?.length || r.reopen?.length || r.terminateSubtasks) {
    statements.push(insertTaskEvents(db, sql`t.parent_task_id = ${row.taskId} and ${guard}`, at));
  }
  // After the subtasks' events: a message of a new subtask finds its tree.
  if (r.messages.length > 0) statements.push(insertMessageEvents(db, at));
  const ownErrors = r.messages.filter((m) => m.error && (m.taskId ?? row.taskId) === row.taskId).length;
  const finishIndex = statements.length;
  statements.push(finishStep(db, row, token, r, ownErrors, now));
  // The lease is released by now: changes() says whether finishStep wrote.
  statements.push(insertTaskEvents(db, sql`t.task_id = ${row.taskId} and changes() > 0`, at));

  const results = await runBatch(db, statements);
  const last = results[finishIndex] as Array<{ taskId: string; terminate: boolean }>;
  const terminated = terminateIndex >= 0 ? (results[terminateIndex] as Array<{ taskId: string }>).map((x) => x.taskId) : [];
  const saved = Array.isArray(last) && last.length === 1;
  return { saved, terminated, terminateNow: saved && isLive(r.status) && last[0]!.terminate };
}
