/**
 * DELETE /tasks?days=N: Drydock's task_retention, made whole. A round takes
 * up to ROUND_ROOTS tasks created before the cutoff, adds all their subtasks
 * (any depth: a subtask goes with its parent, however young), and deletes
 * them with their result messages, build data and boot action records in one
 * db.batch, so a round is atomic and no round leaves orphans.
 *
 * Drydock, by contrast, deleted subtasks only one level down, kept build data
 * and boot action records forever, matched result messages to delete by
 * timestamp (removing other tasks' messages stamped the same instant), and
 * answered without saying what it removed.
 */
import { asc, inArray, lt } from 'drizzle-orm';
import { bootActionContexts, bootActionStatus } from '../../db/schema/bootactions.ts';
import { buildData } from '../../db/schema/builddata.ts';
import { resultMessages, tasks } from '../../db/schema/tasks.ts';
import type { Db } from '../../db/types.ts';
import { runBatch, type BatchStatement } from '../../orchestrator/db-batch.ts';
import { chunked } from './chunks.ts';

const DAY_MS = 86_400_000;
const ROUND_ROOTS = 200;

export interface RetentionContext {
  db: Db;
  clock: () => Date;
}

async function withDescendants(db: Db, roots: string[]): Promise<string[]> {
  const all = new Set(roots);
  let frontier = roots;
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const chunk of chunked(frontier)) {
      const rows = await db.select({ taskId: tasks.taskId }).from(tasks).where(inArray(tasks.parentTaskId, chunk));
      for (const { taskId } of rows) {
        if (!all.has(taskId)) {
          all.add(taskId);
          next.push(taskId);
        }
      }
    }
    frontier = next;
  }
  return [...all];
}

function deletions(db: Db, ids: string[]): BatchStatement[] {
  const items: BatchStatement[] = [];
  for (const chunk of chunked(ids)) {
    items.push(
      db.delete(resultMessages).where(inArray(resultMessages.taskId, chunk)),
      db.delete(buildData).where(inArray(buildData.taskId, chunk)),
      db.delete(bootActionStatus).where(inArray(bootActionStatus.taskId, chunk)),
      db.delete(bootActionContexts).where(inArray(bootActionContexts.taskId, chunk)),
      db.delete(tasks).where(inArray(tasks.taskId, chunk)).returning({ taskId: tasks.taskId }),
    );
  }
  return items;
}

/** Removes tasks created more than `days` days ago; answers how many tasks (subtasks included) went. */
export async function deleteTasksOlderThan(ctx: RetentionContext, days: number): Promise<{ deleted: number; cutoff: Date }> {
  const cutoff = new Date(ctx.clock().getTime() - days * DAY_MS);
  let deleted = 0;
  for (;;) {
    const roots = await ctx.db
      .select({ taskId: tasks.taskId })
      .from(tasks)
      .where(lt(tasks.created, cutoff))
      .orderBy(asc(tasks.created))
      .limit(ROUND_ROOTS);
    if (roots.length === 0) break;
    const ids = await withDescendants(ctx.db, roots.map((r) => r.taskId));
    const results = await runBatch(ctx.db, deletions(ctx.db, ids));
    // With RETURNING, count the rows (libSQL reports rowsAffected as 0).
    const removed = results.filter(Array.isArray).reduce((n, rows) => n + rows.length, 0);
    deleted += removed;
    // Another instance removed this round's tasks first; it is doing the rest.
    if (removed === 0) break;
  }
  return { deleted, cutoff };
}
