import type { Db } from '../db/types.ts';

/** Anything Drizzle can run in a batch: query builders and db.run/db.all. */
export type BatchStatement = { _: { result: unknown } } | ReturnType<Db['run']>;

/**
 * db.batch: D1 and libSQL Drizzle databases both have it (one atomic unit on
 * each), but the shared Db type, a base class of both, does not declare it.
 * D1 has no interactive transactions, so this is the only multi-statement
 * write the orchestrator uses.
 */
export async function runBatch(db: Db, statements: BatchStatement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  const withBatch = db as unknown as { batch(items: readonly unknown[]): Promise<unknown[]> };
  return withBatch.batch(statements);
}
