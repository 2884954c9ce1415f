import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema/index.ts';
import type { Database, Db } from './types.ts';

export function createD1Database(binding: D1Database): Database {
  const db = drizzle(binding, { schema }) as unknown as Db;
  return {
    db,
    kind: 'd1',
    async ping() {
      await db.get(sql`select 1`);
    },
    async close() {},
  };
}
