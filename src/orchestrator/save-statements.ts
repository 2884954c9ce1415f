/**
 * The statements of a step's save (save.ts), one builder each. Every one
 * takes the lease `guard` (lease.ts holdsLease) so that none writes once the
 * lease is lost; finishStep, which releases the lease, checks it itself.
 * Rows go in as one JSON parameter read with json_each, so each is one
 * statement however many nodes the step touched.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { CollectedBuildData } from '../drivers/types.ts';
import type { Db } from '../db/types.ts';
import { tasks } from '../db/schema/tasks.ts';
import type { Reopen, StepResult, SubtaskSpec } from './step.ts';
import { isLive } from './subtasks.ts';
import { errorCountPlus, resultColumns, type TaskRow } from './task-store.ts';
import { LIVE_STATUSES } from './types.ts';

/** New subtasks, queued; they share their parent's pinned design, read from the parent's row as saved. */
export function insertSubtasks(db: Db, row: TaskRow, subtasks: readonly SubtaskSpec[], at: number, guard: SQL) {
  const json = JSON.stringify(subtasks.map((s) => ({ id: s.taskId, a: s.action, f: s.nodeFilter, s: s.stepState })));
  const context = row.requestContext === null || row.requestContext === undefined ? null : JSON.stringify(row.requestContext);
  return db.run(sql`insert into tasks (task_id, parent_task_id, action, design_ref, design_content_hash, node_filter, status,
                                  result_status, created, created_by, request_context, next_run_at, step_state, updated)
      select json_extract(value, '$.id'), ${row.taskId}, json_extract(value, '$.a'), ${row.designRef},
             (select parent.design_content_hash from tasks as parent where parent.task_id = ${row.taskId}),
             json_extract(value, '$.f'), 'queued', 'incomplete', ${at}, ${row.createdBy}, ${context}, ${at},
             json_extract(value, '$.s'), ${at}
      from json_each(${json}) where ${guard} order by key`);
}

/** The build data the step's driver calls collected, recorded under the task. */
export function insertBuildData(db: Db, taskId: string, records: readonly CollectedBuildData[], guard: SQL) {
  const json = JSON.stringify(
    records.map((b) => ({ n: b.nodeName, d: b.collectedDate.getTime(), g: b.generator, f: b.dataFormat, e: b.dataElement })),
  );
  return db.run(sql`insert into build_data (node_name, task_id, collected_date, generator, data_format, data_element)
      select json_extract(value, '$.n'), ${taskId}, json_extract(value, '$.d'), json_extract(value, '$.g'),
             json_extract(value, '$.f'), json_extract(value, '$.e')
      from json_each(${json}) where ${guard} order by key`);
}

/** A completed subtask queued again for its failed nodes (Drydock's retry_task). */
export function reopenSubtask(db: Db, reopen: Reopen, now: Date, guard: SQL) {
  return db
    .update(tasks)
    .set({
      status: 'queued',
      retry: sql`${tasks.retry} + 1`,
      step: 'retry',
      stepState: reopen.stepState,
      resultStatus: 'incomplete',
      resultFailures: [],
      nextRunAt: now,
      updated: now,
    })
    .where(and(eq(tasks.taskId, reopen.taskId), eq(tasks.status, 'complete'), guard));
}

/** A parent being terminated marks its live subtasks, due now; answers their ids to schedule. */
export function terminateSubtasks(db: Db, row: TaskRow, now: Date, guard: SQL) {
  return db
    .update(tasks)
    .set({
      terminate: true,
      status: 'terminating',
      terminated: sql`coalesce(${tasks.terminated}, ${now.getTime()})`,
      terminatedBy: sql`coalesce(${tasks.terminatedBy}, ${row.terminatedBy})`,
      nextRunAt: now,
    })
    .where(and(eq(tasks.parentTaskId, row.taskId), inArray(tasks.status, [...LIVE_STATUSES]), guard))
    .returning({ taskId: tasks.taskId });
}

/** The nodes a final top-level task claimed (services/tasks/node-claims.ts) are free again. */
export function releaseNodeClaims(db: Db, taskId: string, guard: SQL) {
  return db.run(sql`delete from node_claims where task_id = ${taskId} and ${guard}`);
}

/** A final subtask's parent is due now: the sweep finds it even if the wake-up message is lost. */
export function wakeParent(db: Db, parentTaskId: string, now: Date, guard: SQL) {
  return db
    .update(tasks)
    .set({ nextRunAt: now })
    .where(and(eq(tasks.taskId, parentTaskId), inArray(tasks.status, [...LIVE_STATUSES]), guard));
}

/**
 * The task's own UPDATE: the step's outcome, its own error messages counted,
 * the lease released. It runs only while `token` holds the lease, so it comes
 * last in the batch and its one returned row says the save happened.
 *
 * POST /tasks/{id}/terminate may have marked the task while this step ran:
 * then a live task stays `terminating` and is due now, so its next step ends it.
 */
export function finishStep(db: Db, row: TaskRow, token: string, r: StepResult, ownErrors: number, now: Date) {
  const at = now.getTime();
  const live = isLive(r.status);
  const nextRunAt = r.nextDelayMs === null ? null : at + r.nextDelayMs;
  return db
    .update(tasks)
    .set({
      status: live ? sql`case when ${tasks.terminate} then 'terminating' else ${r.status} end` : r.status,
      step: r.step,
      stepState: r.stepState,
      ...resultColumns(r.result),
      resultErrorCount: errorCountPlus(ownErrors),
      updated: now,
      stepAttempts: 0,
      leaseOwner: null,
      leaseUntil: null,
      nextRunAt: nextRunAt === null ? null : live ? sql`case when ${tasks.terminate} then ${at} else ${nextRunAt} end` : new Date(nextRunAt),
      ...(r.status === 'terminated' ? { terminated: sql`coalesce(${tasks.terminated}, ${at})` } : {}),
    })
    .where(and(eq(tasks.taskId, row.taskId), eq(tasks.leaseOwner, token)))
    .returning({ taskId: tasks.taskId, terminate: tasks.terminate });
}
