import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema/index.ts';

/** Drizzle over D1 or libSQL: both are async SQLite dialects with batch(). */
export type Db = BaseSQLiteDatabase<'async', unknown, typeof schema>;

/** What a runtime entry hands the app: the database and how to probe it. */
export interface Database {
  db: Db;
  /** Which driver is underneath, for the extended health report. */
  kind: 'd1' | 'libsql';
  /** Resolves when the database answers a trivial read; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
