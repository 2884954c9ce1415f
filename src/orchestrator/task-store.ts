import { sql, type SQL } from 'drizzle-orm';
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

/**
 * The INSERT of result messages (in the order given: their sequence numbers
 * follow it), as one statement of a batch, written only `where` the caller's
 * condition holds. One parameter carries every row (D1 binds at most 100 per
 * statement), however many there are; `extra` travels as its JSON text.
 * A step's save and a boot action signal both write messages with it.
 */
export function insertResultMessages(db: Db, taskId: string, messages: readonly TaskMessage[], at: number, where: SQL) {
  const rows = JSON.stringify(
    messages.map((m) => [m.taskId ?? taskId, m.message, m.error ? 1 : 0, m.context, m.contextType, JSON.stringify(m.extra ?? {})]),
  );
  return db.run(sql`insert into ${resultMessages} ("task_id", "message", "error", "context", "context_type", "ts", "extra")
    select json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
           json_extract(value, '$[3]'), json_extract(value, '$[4]'), ${at}, json_extract(value, '$[5]')
    from json_each(${rows}) where ${where} order by key`);
}

/** A task's error count raised by the error messages just written for it (Drydock's result errorCount). */
export const errorCountPlus = (errors: number) => sql`${tasks.resultErrorCount} + ${errors}`;

export interface TaskResultUpdate {
  status?: ActionResult;
  message?: string | null;
  reason?: string | null;
  successes?: string[];
  failures?: string[];
  links?: ResultLink[];
}

/** The columns of a result update, for the orchestrator's save. */
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
