import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Fixed-window counters of failed attempts (boot action key checks), kept in
 * the database so every Workers isolate and every Node/Deno instance shares
 * them. One row per bucket (e.g. a client address or a host name); a row
 * whose window has passed is reset by the next failure or swept.
 */
export const rateLimits = sqliteTable(
  'rate_limits',
  {
    bucket: text('bucket').primaryKey(),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [index('rate_limits_window_idx').on(t.windowStart)],
);
