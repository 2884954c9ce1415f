import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Scratch rows of the health check's write probe: each probe inserts a row
 * and deletes it in the same batch, so the table stays empty. A table of its
 * own keeps the probe away from every table the API reads.
 */
export const writeProbes = sqliteTable('write_probes', {
  probeId: text('probe_id').primaryKey(),
});
