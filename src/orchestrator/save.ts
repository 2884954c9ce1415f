import { and, eq, inArray, sql } from 'drizzle-orm';
import { tasks } from '../db/schema/tasks.ts';
import type { Db } from '../db/types.ts';
import { runBatch, type BatchStatement } from '../db/batch.ts';
import { holdsLease } from './lease.ts';
import { LIVE_STATUSES, type StepResult } from './step.ts';
import { resultColumns, type TaskRow } from './task-store.ts';

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
 * Messages, new subtasks and build data are each one INSERT … SELECT over
 * json_each, so a step costs a fixed number of statements however many
 * nodes it touched.
 */
export async function saveStep(db: Db, row: TaskRow, token: string, r: StepResult, now: Date): Promise<SaveOutcome> {
  const guard = holdsLease(row.taskId, token);
  const at = now.getTime();
  const statements: BatchStatement[] = [];

  if (r.messages.length > 0) {
    const json = JSON.stringify(
      r.messages.map((m) => ({
        t: m.taskId ?? row.taskId,
        m: m.message,
        e: m.error,
        c: m.context,
        k: m.contextType,
        x: m.extra ?? {},
      })),
    );
    statements.push(
      db.run(sql`insert into result_messages (task_id, message, error, context, context_type, ts, extra)
        select json_extract(value, '$.t'), json_extract(value, '$.m'), json_extract(value, '$.e'),
               json_extract(value, '$.c'), json_extract(value, '$.k'), ${at}, json_extract(value, '$.x')
        from json_each(${json}) where ${guard} order by key`),
    );
  }

  if (r.subtasks && r.subtasks.length > 0) {
    const json = JSON.stringify(r.subtasks.map((s) => ({ id: s.taskId, a: s.action, f: s.nodeFilter, s: s.stepState })));
    const context = row.requestContext === null || row.requestContext === undefined ? null : JSON.stringify(row.requestContext);
    statements.push(
      // Subtasks share their parent's pinned design, read from the parent's row as saved.
      db.run(sql`insert into tasks (task_id, parent_task_id, action, design_ref, design_content_hash, node_filter, status,
                                    result_status, created, created_by, request_context, next_run_at, step_state, updated)
        select json_extract(value, '$.id'), ${row.taskId}, json_extract(value, '$.a'), ${row.designRef},
               (select parent.design_content_hash from tasks as parent where parent.task_id = ${row.taskId}),
               json_extract(value, '$.f'), 'queued', 'incomplete', ${at}, ${row.createdBy}, ${context}, ${at},
               json_extract(value, '$.s'), ${at}
        from json_each(${json}) where ${guard} order by key`),
    );
  }

  if (r.buildData && r.buildData.length > 0) {
    const json = JSON.stringify(
      r.buildData.map((b) => ({
        n: b.nodeName,
        d: b.collectedDate.getTime(),
        g: b.generator,
        f: b.dataFormat,
        e: b.dataElement,
      })),
    );
    statements.push(
      db.run(sql`insert into build_data (node_name, task_id, collected_date, generator, data_format, data_element)
        select json_extract(value, '$.n'), ${row.taskId}, json_extract(value, '$.d'), json_extract(value, '$.g'),
               json_extract(value, '$.f'), json_extract(value, '$.e')
        from json_each(${json}) where ${guard} order by key`),
    );
  }

  for (const reopen of r.reopen ?? []) {
    statements.push(
      db
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
        .where(and(eq(tasks.taskId, reopen.taskId), eq(tasks.status, 'complete'), guard)),
    );
  }

  const terminateIndex = r.terminateSubtasks ? statements.length : -1;
  if (r.terminateSubtasks) {
    statements.push(
      db
        .update(tasks)
        .set({
          terminate: true,
          status: 'terminating',
          terminated: sql`coalesce(${tasks.terminated}, ${at})`,
          terminatedBy: sql`coalesce(${tasks.terminatedBy}, ${row.terminatedBy})`,
          nextRunAt: now,
        })
        .where(and(eq(tasks.parentTaskId, row.taskId), inArray(tasks.status, [...LIVE_STATUSES]), guard))
        .returning({ taskId: tasks.taskId }),
    );
  }

  const final = r.status === 'complete' || r.status === 'terminated';
  if (final && !row.parentTaskId) {
    // The nodes a node task claimed (services/tasks/node-claims.ts) are free once it is final.
    statements.push(db.run(sql`delete from node_claims where task_id = ${row.taskId} and ${guard}`));
  }
  if (final && row.parentTaskId) {
    // The parent is due now: the sweep finds it even if the wake-up message is lost.
    statements.push(
      db
        .update(tasks)
        .set({ nextRunAt: now })
        .where(and(eq(tasks.taskId, row.parentTaskId), inArray(tasks.status, [...LIVE_STATUSES]), guard)),
    );
  }

  const ownErrors = r.messages.filter((m) => m.error && (m.taskId ?? row.taskId) === row.taskId).length;
  // POST /tasks/{id}/terminate may have marked the task while this step ran:
  // it stays `terminating` and is due now, so its next step ends it.
  const live = (LIVE_STATUSES as readonly string[]).includes(r.status);
  const nextRunAt = r.nextDelayMs === null ? null : at + r.nextDelayMs;
  statements.push(
    db
      .update(tasks)
      .set({
        status: live ? sql`case when ${tasks.terminate} then 'terminating' else ${r.status} end` : r.status,
        step: r.step,
        stepState: r.stepState,
        ...resultColumns(r.result),
        resultErrorCount: sql`${tasks.resultErrorCount} + ${ownErrors}`,
        updated: now,
        stepAttempts: 0,
        leaseOwner: null,
        leaseUntil: null,
        nextRunAt: nextRunAt === null ? null : live ? sql`case when ${tasks.terminate} then ${at} else ${nextRunAt} end` : new Date(nextRunAt),
        ...(r.status === 'terminated' ? { terminated: sql`coalesce(${tasks.terminated}, ${at})` } : {}),
      })
      .where(and(eq(tasks.taskId, row.taskId), eq(tasks.leaseOwner, token)))
      .returning({ taskId: tasks.taskId, terminate: tasks.terminate }),
  );

  const results = await runBatch(db, statements);
  const last = results[results.length - 1] as Array<{ taskId: string; terminate: boolean }>;
  const terminated =
    terminateIndex >= 0 ? (results[terminateIndex] as Array<{ taskId: string }>).map((x) => x.taskId) : [];
  const saved = Array.isArray(last) && last.length === 1;
  return { saved, terminated, terminateNow: saved && live && last[0]!.terminate };
}
