import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Which unfinished task is working on a node. prepare_nodes, deploy_nodes
 * and destroy_nodes claim their target nodes in the same batch that inserts
 * the task; the node name is the key, so of two tasks created at once for
 * one node only one gets the claim (D1 has no interactive transactions to
 * check and insert otherwise). A claim whose task is final or gone is stale
 * and is taken over; the task's final save deletes its claims.
 */
export const nodeClaims = sqliteTable(
  'node_claims',
  {
    nodeName: text('node_name').primaryKey(),
    taskId: text('task_id').notNull(),
    action: text('action').notNull(),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('node_claims_task_idx').on(t.taskId)],
);
