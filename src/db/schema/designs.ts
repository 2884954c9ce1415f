import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Site designs stored in the service and referenced as design://<id>. This
 * is how designs reach a Workers deployment, which has no file system.
 */
export const designs = sqliteTable(
  'designs',
  {
    designId: text('design_id').primaryKey(),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
    createdBy: text('created_by'),
    format: text('format', { enum: ['yaml', 'json'] }).notNull(),
    documents: text('documents').notNull(),
    contentHash: text('content_hash').notNull(),
    size: integer('size').notNull(),
  },
  (t) => [index('designs_content_hash_idx').on(t.contentHash), index('designs_created_idx').on(t.created)],
);
