import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Per-node boot action context. Drydock stores the raw node key; here only
 * its SHA-256 digest is kept, so a database leak does not leak node keys.
 */
export const bootActionContexts = sqliteTable(
  'boot_action_contexts',
  {
    nodeName: text('node_name').primaryKey(),
    taskId: text('task_id').notNull(),
    nodeKeyDigest: text('node_key_digest').notNull(),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
    expires: integer('expires', { mode: 'timestamp_ms' }),
  },
  (t) => [index('boot_action_contexts_task_idx').on(t.taskId)],
);

/** Status of each boot action instance; action_id is a ULID. */
export const bootActionStatus = sqliteTable(
  'boot_action_status',
  {
    actionId: text('action_id').primaryKey(),
    nodeName: text('node_name').notNull(),
    actionName: text('action_name').notNull(),
    taskId: text('task_id').notNull(),
    actionKeyDigest: text('action_key_digest').notNull(),
    actionStatus: text('action_status').notNull(),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
    updated: integer('updated', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('boot_action_status_node_idx').on(t.nodeName),
    index('boot_action_status_task_idx').on(t.taskId),
  ],
);
