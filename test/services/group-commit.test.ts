import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rateLimits } from '../../src/db/schema/ratelimit.ts';
import type { Db } from '../../src/db/types.ts';
import { GroupCommit } from '../../src/services/bootactions/group-commit.ts';
import { memoryDatabase } from '../helpers/app.ts';

/** The database, with a count of the batches (transactions) run on it. */
async function counted() {
  const { db } = await memoryDatabase();
  const batches: number[] = [];
  const inner = db as unknown as { batch(items: readonly unknown[]): Promise<unknown[]> };
  const spy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'batch') return (items: readonly unknown[]) => (batches.push(items.length), inner.batch(items));
      return Reflect.get(target, prop, receiver);
    },
  }) as Db;
  return { db, spy, batches };
}

const insert = (db: Db, bucket: string) => db.insert(rateLimits).values({ bucket, windowStart: 0, count: 1 });
const bump = (db: Db, bucket: string) =>
  db.update(rateLimits).set({ count: 2 }).where(eq(rateLimits.bucket, bucket)).returning({ bucket: rateLimits.bucket, count: rateLimits.count });

describe('GroupCommit', () => {
  it('commits what is queued at the same time in one transaction, answering each caller its own results', async () => {
    const { db, spy, batches } = await counted();
    const group = new GroupCommit(spy);
    const answers = await Promise.all(['a', 'b', 'c'].map((b) => group.run([insert(db, b), bump(db, b)])));
    expect(batches).toEqual([6]);
    expect(answers.map((r) => r[1])).toEqual([[{ bucket: 'a', count: 2 }], [{ bucket: 'b', count: 2 }], [{ bucket: 'c', count: 2 }]]);
    // A later call is a transaction of its own.
    await group.run([bump(db, 'a')]);
    expect(batches).toEqual([6, 1]);
  });

  it("gives a failing caller its own error and keeps none of its statements, while the others' are all kept", async () => {
    const { db, spy, batches } = await counted();
    await insert(db, 'taken');
    const group = new GroupCommit(spy);
    const outcomes = await Promise.allSettled([
      group.run([insert(db, 'x'), bump(db, 'x')]),
      // The second statement fails (the bucket exists): the first, 'y', must not stay either.
      group.run([insert(db, 'y'), insert(db, 'taken')]),
      group.run([insert(db, 'z')]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE|constraint/i);
    expect((outcomes[0] as PromiseFulfilledResult<unknown[]>).value[1]).toEqual([{ bucket: 'x', count: 2 }]);
    const rows = await db.select({ bucket: rateLimits.bucket, count: rateLimits.count }).from(rateLimits).orderBy(asc(rateLimits.bucket));
    expect(rows).toEqual([
      { bucket: 'taken', count: 1 },
      { bucket: 'x', count: 2 },
      { bucket: 'z', count: 1 },
    ]);
    // The combined transaction, rolled back, then each on its own.
    expect(batches).toEqual([5, 2, 2, 1]);
  });
});
