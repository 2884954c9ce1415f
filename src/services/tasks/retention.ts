/**
 * DELETE /tasks?days=N: Drydock's task_retention, made whole. A round takes
 * up to ROUND_ROOTS tasks created before the cutoff, adds all their subtasks
 * (any depth: a subtask goes with its parent, however young), and deletes
 * them with their result messages, task events, build data and boot action records in one
 * db.batch, so a round is atomic and no round leaves orphans.
 *
 * Drydock, by contrast, deleted subtasks only one level down, kept build data
 * and boot action records forever, matched result messages to delete by
 * timestamp (removing other tasks' messages stamped the same instant), and
 * answered without saying what it removed.
 *
 * An unfinished task is never removed, however old: a deploy that has run
 * for months is still working on its nodes. A task tree goes only once its
 * top-level task and every subtask are final (a terminated parent's
 * subtasks may take one more step to stop).
 */
import { and, asc, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { bootActionContexts, bootActionStatus } from '../../db/schema/bootactions.ts';
import { buildData } from '../../db/schema/builddata.ts';
import { keyMemoryOf } from '../../bootaction/key-memory.ts';
import { resultMessages, tasks } from '../../db/schema/tasks.ts';
import { taskEvents } from '../../db/schema/events.ts';
import type { Db } from '../../db/types.ts';
import { runBatch, type BatchStatement } from '../../db/batch.ts';
import { FINAL_STATUSES } from '../../orchestrator/types.ts';
import { chunked } from '../../db/chunks.ts';
import type { ServiceContext } from '../context.ts';

const DAY_MS = 86_400_000;
const ROUND_ROOTS = 200;

type RetentionContext = Pick<ServiceContext, 'db' | 'clock'>;

const isFinal = (status: string) => (FINAL_STATUSES as readonly string[]).includes(status);

/** The trees of `roots` (each root with all its subtasks) in which every task is final. */
async function finishedTrees(db: Db, roots: string[]): Promise<string[]> {
  const rootOf = new Map(roots.map((id) => [id, id]));
  const live = new Set<string>();
  let frontier = roots;
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const chunk of chunked(frontier)) {
      const rows = await db
        .select({ taskId: tasks.taskId, parent: tasks.parentTaskId, status: tasks.status })
        .from(tasks)
        .where(inArray(tasks.parentTaskId, chunk));
      for (const { taskId, parent, status } of rows) {
        if (rootOf.has(taskId)) continue;
        const root = rootOf.get(parent ?? '') as string;
        rootOf.set(taskId, root);
        if (!isFinal(status)) live.add(root);
        next.push(taskId);
      }
    }
    frontier = next;
  }
  return [...rootOf].filter(([, root]) => !live.has(root)).map(([id]) => id);
}

function deletions(db: Db, ids: string[]): BatchStatement[] {
  const items: BatchStatement[] = [];
  for (const chunk of chunked(ids)) {
    items.push(
      db.delete(resultMessages).where(inArray(resultMessages.taskId, chunk)),
      db.delete(taskEvents).where(inArray(taskEvents.taskId, chunk)),
      db.delete(buildData).where(inArray(buildData.taskId, chunk)),
      db.delete(bootActionStatus).where(inArray(bootActionStatus.taskId, chunk)),
      db.delete(bootActionContexts).where(inArray(bootActionContexts.taskId, chunk)),
      db
        .delete(tasks)
        .where(and(inArray(tasks.taskId, chunk), inArray(tasks.status, [...FINAL_STATUSES])))
        .returning({ taskId: tasks.taskId }),
    );
  }
  return items;
}

/** Removes tasks created more than `days` days ago; answers how many tasks (subtasks included) went. */
export async function deleteTasksOlderThan(ctx: RetentionContext, days: number): Promise<{ deleted: number; cutoff: Date }> {
  const cutoff = new Date(ctx.clock().getTime() - days * DAY_MS);
  let deleted = 0;
  // Unfinished trees stay behind, so rounds walk on by (created, task_id)
  // instead of re-reading the oldest tasks.
  let after: { created: Date; taskId: string } | null = null;
  for (;;) {
    const roots: Array<{ taskId: string; created: Date }> = await ctx.db
      .select({ taskId: tasks.taskId, created: tasks.created })
      .from(tasks)
      .where(
        and(
          lt(tasks.created, cutoff),
          inArray(tasks.status, [...FINAL_STATUSES]),
          // Top-level tasks, and subtasks whose parent is gone (left by an older version).
          or(isNull(tasks.parentTaskId), sql`not exists (select 1 from tasks as p where p.task_id = ${tasks.parentTaskId})`),
          after ? sql`(${tasks.created}, ${tasks.taskId}) > (${after.created.getTime()}, ${after.taskId})` : undefined,
        ),
      )
      .orderBy(asc(tasks.created), asc(tasks.taskId))
      .limit(ROUND_ROOTS);
    if (roots.length === 0) break;
    const last = roots[roots.length - 1]!;
    after = { created: last.created, taskId: last.taskId };
    const ids = await finishedTrees(ctx.db, roots.map((r) => r.taskId));
    if (ids.length > 0) {
      const results = await runBatch(ctx.db, deletions(ctx.db, ids));
      keyMemoryOf(ctx.db).forgetHosts(null);
      // With RETURNING, count the rows (libSQL reports rowsAffected as 0).
      deleted += results.filter(Array.isArray).reduce((n, rows) => n + rows.length, 0);
    }
    if (roots.length < ROUND_ROOTS) break;
  }
  return { deleted, cutoff };
}
