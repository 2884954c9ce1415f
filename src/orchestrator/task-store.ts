import { eq, sql } from 'drizzle-orm';
import { resultMessages, tasks } from '../db/schema/tasks.ts';
import type { Db } from '../db/types.ts';
import type { ActionResult, TaskAction, TaskStatus } from './types.ts';

/** A task row as Drizzle reads it. */
export type TaskRow = typeof tasks.$inferSelect;

export interface ResultLink {
  rel: string;
  href: string;
}

/**
 * One status message (Drydock's TaskStatusMessage): `context`/`contextType`
 * are Drydock's ctx/ctx_type, e.g. a node name and 'node', a task id and
 * 'task', or 'NA' and 'NA'.
 */
export interface TaskMessage {
  message: string;
  error: boolean;
  context: string;
  contextType: string;
  extra?: Record<string, unknown>;
  /** The task the message belongs to when it is not the task being advanced (a subtask). */
  taskId?: string;
}

export interface NewTask {
  action: TaskAction;
  designRef: string | null;
  /** The design content already pinned (a subtask's parent's); null: pinned at the task's first step. */
  designContentHash?: string | null;
  /** Drydock's node filter as written in the request (snake_case), or null for every node. */
  nodeFilter?: unknown;
  parentTaskId?: string | null;
  createdBy?: string | null;
  /** Drydock's request context (user, roles, request id ...), stored as JSON. */
  requestContext?: unknown;
}

export interface StoreContext {
  db: Db;
  clock: () => Date;
}

/**
 * Inserts a task in Drydock's initial form: a fresh UUID v4, status
 * `queued`, result `incomplete`. next_run_at is its creation time so the
 * sweep finds it even if the scheduler's message is lost; the caller still
 * calls `scheduler.schedule(task.taskId, 0)` to start it at once.
 */
export async function createTaskRecord(ctx: StoreContext, input: NewTask): Promise<TaskRow> {
  const [row] = await insertTask(ctx.db, newTaskValues(ctx, input));
  if (!row) throw new Error('task insert returned no row');
  return row;
}

/** The row of a new task, for createTaskRecord or a batch that inserts it with other writes. */
export function newTaskValues(ctx: StoreContext, input: NewTask): typeof tasks.$inferInsert & { taskId: string } {
  const now = ctx.clock();
  return {
    taskId: crypto.randomUUID(),
    parentTaskId: input.parentTaskId ?? null,
    action: input.action,
    designRef: input.designRef,
    designContentHash: input.designContentHash ?? null,
    nodeFilter: input.nodeFilter ?? null,
    status: 'queued' satisfies TaskStatus,
    resultStatus: 'incomplete' satisfies ActionResult,
    created: now,
    createdBy: input.createdBy ?? null,
    requestContext: input.requestContext ?? null,
    nextRunAt: now,
  };
}

/** The INSERT … RETURNING of a new task's row (run alone, or as one statement of a batch). */
export function insertTask(db: Db, values: typeof tasks.$inferInsert) {
  return db.insert(tasks).values(values).returning();
}

/** Appends messages to a task in the order given (their sequence numbers follow it). */
export async function addResultMessages(ctx: StoreContext, taskId: string, messages: TaskMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const ts = ctx.clock();
  await ctx.db.insert(resultMessages).values(
    messages.map((m) => ({
      taskId: m.taskId ?? taskId,
      message: m.message,
      error: m.error,
      context: m.context,
      contextType: m.contextType,
      ts,
      extra: m.extra ?? {},
    })),
  );
  const errors = messages.filter((m) => m.error && (m.taskId ?? taskId) === taskId).length;
  if (errors > 0) {
    await ctx.db
      .update(tasks)
      .set({ resultErrorCount: sql`${tasks.resultErrorCount} + ${errors}`, updated: ts })
      .where(eq(tasks.taskId, taskId));
  }
}

export interface TaskResultUpdate {
  status?: ActionResult;
  message?: string | null;
  reason?: string | null;
  successes?: string[];
  failures?: string[];
  links?: ResultLink[];
}

/** Sets a task's result fields (only those given). */
export async function setTaskResult(ctx: StoreContext, taskId: string, result: TaskResultUpdate): Promise<void> {
  await ctx.db.update(tasks).set({ ...resultColumns(result), updated: ctx.clock() }).where(eq(tasks.taskId, taskId));
}

/** The columns of a result update, for the store and the orchestrator's save. */
export function resultColumns(result: TaskResultUpdate): Partial<typeof tasks.$inferInsert> {
  const set: Partial<typeof tasks.$inferInsert> = {};
  if (result.status !== undefined) set.resultStatus = result.status;
  if (result.message !== undefined) set.resultMessage = result.message;
  if (result.reason !== undefined) set.resultReason = result.reason;
  if (result.successes !== undefined) set.resultSuccesses = result.successes;
  if (result.failures !== undefined) set.resultFailures = result.failures;
  if (result.links !== undefined) set.resultLinks = result.links;
  return set;
}

/** Drydock's create_nodefilter_from_nodelist: a filter naming exactly these nodes. */
export function nodeFilterOf(names: string[]) {
  return { filter_set_type: 'intersection', filter_set: [{ filter_type: 'union', node_names: names }] };
}
