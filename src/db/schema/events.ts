import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The change feed of GET /tasks/{id}/events. A row is written in the same
 * batch as the change it records (a task created, its status, phase or
 * result changed, a result message written), so a reader never sees a
 * change without its event nor an event of a change that did not happen.
 * `seq` only grows, edge-wide: a client resumes after the last one it saw.
 *
 * A task event copies the task's state at that point (the history of
 * phases is not kept anywhere else); a message event points at its
 * result_messages row (message_seq) instead of copying its text.
 * root_task_id scopes a tree to one index range.
 */
export const taskEvents = sqliteTable(
  'task_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    rootTaskId: text('root_task_id').notNull(),
    taskId: text('task_id').notNull(),
    /** 'task' or 'message'. */
    type: text('type').notNull(),
    ts: integer('ts', { mode: 'timestamp_ms' }).notNull(),
    /** The node a node subtask works on, or the node a message is about; null when none. */
    node: text('node'),
    parentTaskId: text('parent_task_id'),
    action: text('action'),
    status: text('status'),
    phase: text('phase'),
    resultStatus: text('result_status'),
    resultSuccesses: text('result_successes', { mode: 'json' }).$type<string[]>(),
    resultFailures: text('result_failures', { mode: 'json' }).$type<string[]>(),
    messageSeq: integer('message_seq'),
  },
  (t) => [
    index('task_events_root_idx').on(t.rootTaskId, t.seq),
    // The root of a task's later events is read from its first one.
    index('task_events_task_idx').on(t.taskId, t.seq),
    // Message events take the result messages after the last one referenced.
    index('task_events_message_idx').on(t.messageSeq),
  ],
);
