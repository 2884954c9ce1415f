import { and, eq, isNull } from 'drizzle-orm';
import { tasks } from '../db/schema/tasks.ts';
import type { Db } from '../db/types.ts';
import { storeDesignText } from '../design/store.ts';
import { designFormatOf, type SiteDesignDeps } from '../design/site-design.ts';
import { BAD_DESIGN, TaskFailure } from './failure.ts';
import type { TaskRow } from './task-store.ts';

export interface PinContext {
  siteDesign: SiteDesignDeps;
  db: Db;
  clock: () => Date;
}

/**
 * The content hash of the design a task works on. The first time, the
 * design_ref is resolved once, its text stored in the designs table (once
 * per content, like a design uploaded with POST /designs, so it is listed
 * there too) and its hash written to the task, only if the task has none
 * yet: one conditional UPDATE, so two executors cannot pin two contents.
 * Subtasks are created with their parent's pin (orchestrator/save.ts).
 *
 * The row passed in is updated, so the rest of the step reads the pin
 * without asking again.
 */
export async function pinTaskDesign(ctx: PinContext, row: TaskRow): Promise<string> {
  if (row.designContentHash) return row.designContentHash;
  if (!row.designRef) throw new TaskFailure('The task has no design_ref', [], BAD_DESIGN);
  const resolved = await ctx.siteDesign.source.resolve(row.designRef);
  const stored = await storeDesignText(
    { db: ctx.db, clock: ctx.clock, box: ctx.siteDesign.box },
    { text: resolved.text, format: designFormatOf(resolved), createdBy: row.createdBy },
  );
  const [won] = await ctx.db
    .update(tasks)
    .set({ designContentHash: stored.contentHash })
    .where(and(eq(tasks.taskId, row.taskId), isNull(tasks.designContentHash)))
    .returning({ hash: tasks.designContentHash });
  let hash = won?.hash ?? null;
  if (hash === null) {
    const [current] = await ctx.db.select({ hash: tasks.designContentHash }).from(tasks).where(eq(tasks.taskId, row.taskId));
    hash = current?.hash ?? null;
  }
  if (hash === null) throw new Error(`task ${row.taskId} vanished while pinning its design`);
  row.designContentHash = hash;
  return hash;
}
