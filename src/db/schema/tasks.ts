import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Orchestrator tasks, modelled on Drydock's `tasks` table. Drydock keeps the
 * subtask list as an array column; here subtasks are found by parent_task_id
 * (indexed) so two executors adding subtasks never overwrite each other.
 * lease_owner/lease_until let exactly one executor advance a task at a time,
 * and next_run_at tells the sweep when a task wants attention again.
 */
export const tasks = sqliteTable(
  'tasks',
  {
    taskId: text('task_id').primaryKey(),
    parentTaskId: text('parent_task_id'),
    action: text('action').notNull(),
    designRef: text('design_ref'),
    /**
     * SHA-256 of the design text the task pinned at its first step (stored in
     * the designs table); every later step, subtask and boot data request of
     * the task reads this content, never design_ref again.
     */
    designContentHash: text('design_content_hash'),
    nodeFilter: text('node_filter', { mode: 'json' }),
    status: text('status').notNull().default('requested'),
    resultStatus: text('result_status'),
    resultMessage: text('result_message'),
    resultReason: text('result_reason'),
    resultErrorCount: integer('result_error_count').notNull().default(0),
    resultSuccesses: text('result_successes', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    resultFailures: text('result_failures', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    resultLinks: text('result_links', { mode: 'json' }).$type<Array<{ rel: string; href: string }>>().notNull().default(sql`'[]'`),
    retry: integer('retry').notNull().default(0),
    terminate: integer('terminate', { mode: 'boolean' }).notNull().default(false),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
    createdBy: text('created_by'),
    updated: integer('updated', { mode: 'timestamp_ms' }),
    terminated: integer('terminated', { mode: 'timestamp_ms' }),
    terminatedBy: text('terminated_by'),
    requestContext: text('request_context', { mode: 'json' }),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until', { mode: 'timestamp_ms' }),
    nextRunAt: integer('next_run_at', { mode: 'timestamp_ms' }),
    /** The orchestrator's position in the action's plan, and its per-action state. */
    step: text('step'),
    stepState: text('step_state', { mode: 'json' }).$type<Record<string, unknown>>(),
    /**
     * Consecutive unexpected failures of the current step (reset by any saved
     * step). Kept here, not in memory, so the retry cap holds across restarts
     * and executors.
     */
    stepAttempts: integer('step_attempts').notNull().default(0),
  },
  (t) => [
    index('tasks_parent_idx').on(t.parentTaskId),
    index('tasks_status_next_run_idx').on(t.status, t.nextRunAt),
    index('tasks_lease_until_idx').on(t.leaseUntil),
    index('tasks_created_idx').on(t.created, t.taskId),
    // GET /tasks?top_level=true pages through top-level tasks only: without it
    // each page reads past every subtask (dozens per deploy).
    index('tasks_top_level_created_idx').on(t.created, t.taskId).where(sql`parent_task_id is null`),
  ],
);

/** Status and detail messages of a task (Drydock's `result_message`). */
export const resultMessages = sqliteTable(
  'result_messages',
  {
    sequence: integer('sequence').primaryKey({ autoIncrement: true }),
    taskId: text('task_id').notNull(),
    message: text('message').notNull(),
    error: integer('error', { mode: 'boolean' }).notNull().default(false),
    context: text('context'),
    contextType: text('context_type'),
    ts: integer('ts', { mode: 'timestamp_ms' }).notNull(),
    extra: text('extra', { mode: 'json' }),
  },
  (t) => [
    index('result_messages_task_idx').on(t.taskId, t.sequence),
    // A boot action signal counts its action's messages against
    // BOOTACTION_MAX_MESSAGES; without this index that count reads every
    // message of the deploy task (27 req/s at ~90k messages instead of ~160).
    index('result_messages_context_idx').on(t.taskId, t.context),
  ],
);
