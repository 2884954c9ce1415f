import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Data collected from a node while it is built (Drydock's `build_data`). */
export const buildData = sqliteTable(
  'build_data',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    nodeName: text('node_name').notNull(),
    taskId: text('task_id').notNull(),
    collectedDate: integer('collected_date', { mode: 'timestamp_ms' }).notNull(),
    generator: text('generator').notNull(),
    dataFormat: text('data_format').notNull(),
    dataElement: text('data_element').notNull(),
  },
  (t) => [
    index('build_data_node_generator_idx').on(t.nodeName, t.generator, t.collectedDate),
    index('build_data_task_idx').on(t.taskId),
  ],
);
