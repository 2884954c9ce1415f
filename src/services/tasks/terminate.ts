/**
 * POST /tasks/{id}/terminate: marks a live top-level task for termination.
 * The orchestrator ends it at its next step (orchestrator/terminate.ts):
 * status `terminated`, its unfinished nodes failed, its live subtasks
 * terminated the same way, its lease released and its node claims freed.
 * Drydock had the orchestrator half (terminate_task) but no API for it.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { tasks } from '../../db/schema/tasks.ts';
import type { Db } from '../../db/types.ts';
import { runBatch } from '../../db/batch.ts';
import { insertTaskEvents } from '../../db/task-events.ts';
import { ApiError } from '../../core/errors.ts';
import { LIVE_STATUSES } from '../../orchestrator/types.ts';
import type { TaskRow } from '../../orchestrator/task-store.ts';
import type { ServiceContext } from '../context.ts';
import { getTaskView } from './view.ts';

type TerminateContext = Pick<ServiceContext, 'db' | 'clock' | 'scheduler' | 'log'>;

/** Subtasks nest a few levels at most; the bound only guards against a cycle in bad data. */
const MAX_DEPTH = 16;

async function readTask(db: Db, id: string): Promise<TaskRow | undefined> {
  const [row] = await db.select().from(tasks).where(eq(tasks.taskId, id));
  return row;
}

/** The task and its top-level ancestor (the task itself when it has no parent); 404 when unknown. */
export async function taskAndRoot(ctx: Pick<ServiceContext, 'db'>, id: string): Promise<{ task: TaskRow; root: TaskRow }> {
  const { db } = ctx;
  const task = await readTask(db, id);
  if (!task) throw new ApiError('NotFound', `Task ${id} does not exist`);
  let root = task;
  for (let depth = 0; root.parentTaskId && depth < MAX_DEPTH; depth++) {
    const parent = await readTask(db, root.parentTaskId);
    if (!parent) break;
    root = parent;
  }
  return { task, root };
}

/** Marks `task` (read by taskAndRoot) for termination; answers the task as it now reads (`terminating`). */
export async function terminateTask(ctx: TerminateContext, task: TaskRow, by: string | null): Promise<Record<string, unknown>> {
  if (task.parentTaskId) {
    throw new ApiError('Conflict', `Task ${task.taskId} is a subtask of task ${task.parentTaskId}: terminate that task`);
  }
  const now = ctx.clock();
  const [rows] = (await runBatch(ctx.db, [
    ctx.db
      .update(tasks)
      .set({
        terminate: true,
        status: 'terminating',
        terminated: sql`coalesce(${tasks.terminated}, ${now.getTime()})`,
        terminatedBy: sql`coalesce(${tasks.terminatedBy}, ${by})`,
        nextRunAt: now,
        updated: now,
      })
      .where(and(eq(tasks.taskId, task.taskId), isNull(tasks.parentTaskId), inArray(tasks.status, [...LIVE_STATUSES])))
      .returning(),
    insertTaskEvents(ctx.db, sql`t.task_id = ${task.taskId} and changes() > 0`, now.getTime()),
  ])) as [TaskRow[], unknown];
  const row = rows[0];
  if (!row) {
    const status = (await readTask(ctx.db, task.taskId))?.status ?? task.status;
    throw new ApiError('Conflict', `Task ${task.taskId} has already ended (status ${status})`);
  }
  ctx.log.info('task termination requested', { task_id: row.taskId, action: row.action, terminated_by: by });
  try {
    await ctx.scheduler.schedule(row.taskId, 0);
  } catch (err) {
    // The task is due now (next_run_at): the sweep ends it.
    ctx.log.warn('terminated task not scheduled; the sweep will pick it up', {
      task_id: row.taskId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  return getTaskView(ctx, row.taskId, { buildData: false, subtaskErrors: false, layers: 0 });
}
