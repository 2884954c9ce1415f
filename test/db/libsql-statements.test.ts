import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openLibsqlDatabase } from '../../src/db/libsql.ts';
import { reuseLibsqlStatements } from '../../src/db/libsql-statements.ts';
import { rateLimits } from '../../src/db/schema/ratelimit.ts';
import { runBatch } from '../../src/db/batch.ts';
import { MIGRATIONS } from '../helpers/app.ts';

const dir = mkdtempSync(join(tmpdir(), 'libsql-statements-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reused libSQL statements', () => {
  it('are installed on the binding @libsql/client uses', () => {
    expect(reuseLibsqlStatements()).toBe(true);
    const binding = createRequire(createRequire(import.meta.url).resolve('@libsql/client'))('libsql');
    const db = new binding(':memory:');
    expect(db.prepare('select 1')).toBe(db.prepare('select 1'));
    db.close();
  });

  it('answer each run with its own parameters, after a failed statement and a rolled-back batch too', async () => {
    const database = await openLibsqlDatabase({ url: `file:${join(dir, 'a.db')}`, busyTimeoutMs: 1000, migrationsFolder: MIGRATIONS });
    const { db } = database;
    const add = (bucket: string, count: number) => db.insert(rateLimits).values({ bucket, windowStart: 0, count });
    const countOf = async (bucket: string) =>
      (await db.select({ count: rateLimits.count }).from(rateLimits).where(eq(rateLimits.bucket, bucket)))[0]?.count;
    for (const [bucket, count] of [['a', 1], ['b', 2], ['c', 3]] as const) await add(bucket, count);
    expect([await countOf('a'), await countOf('b'), await countOf('c'), await countOf('d')]).toEqual([1, 2, 3, undefined]);
    await expect(add('a', 9)).rejects.toThrow();
    // The batch fails at its second statement: its first is rolled back, and the same texts still work afterwards.
    await expect(runBatch(db, [add('d', 4), add('a', 9)])).rejects.toThrow();
    expect(await countOf('d')).toBeUndefined();
    await runBatch(db, [add('d', 4), db.update(rateLimits).set({ count: 5 }).where(eq(rateLimits.bucket, 'a'))]);
    const rows = await db.select({ bucket: rateLimits.bucket, count: rateLimits.count }).from(rateLimits).orderBy(asc(rateLimits.bucket));
    expect(rows).toEqual([
      { bucket: 'a', count: 5 },
      { bucket: 'b', count: 2 },
      { bucket: 'c', count: 3 },
      { bucket: 'd', count: 4 },
    ]);
    expect(await db.get(sql`select count(*) as n from ${rateLimits}`)).toEqual({ n: 4 });
    await database.close();
  });
});
