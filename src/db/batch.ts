import { entityKind } from 'drizzle-orm';
import type { Db } from './types.ts';

/** Anything Drizzle can run in a batch: query builders and db.run/db.all. */
export type BatchStatement = { _: { result: unknown } } | ReturnType<Db['run']>;

interface RawStatement {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(result: unknown, isFromBatch?: boolean): unknown;
}

const isRaw = (item: unknown): item is RawStatement =>
  typeof item === 'object' && item !== null && (item.constructor as { [entityKind]?: string })[entityKind] === 'SQLiteRaw';

/**
 * drizzle-orm's D1 batch binds a statement's parameters through the prepared
 * statement's `stmt`, which a raw `db.run(sql…)` does not have: with any
 * parameter it throws "Cannot read properties of undefined (reading 'bind')"
 * (drizzle-orm issue #2277, open in 0.45). Such an item is handed to D1's
 * batch with a statement prepared here; libSQL's batch needs no help.
 */
function forD1(db: Db, item: unknown): unknown {
  const client = (db as unknown as { session?: { client?: { prepare?: (sql: string) => unknown } } }).session?.client;
  if (!isRaw(item) || typeof client?.prepare !== 'function') return item;
  const prepare = client.prepare.bind(client);
  return {
    _prepare: () => {
      const query = item.getQuery();
      return { getQuery: () => query, stmt: prepare(query.sql), mapResult: (r: unknown, b?: boolean) => item.mapResult(r, b) };
    },
  };
}

/**
 * db.batch: D1 and libSQL Drizzle databases both have it (one atomic unit on
 * each), but the shared Db type, a base class of both, does not declare it.
 * D1 has no interactive transactions, so this is the only multi-statement
 * write the orchestrator uses.
 */
export async function runBatch(db: Db, statements: BatchStatement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  const withBatch = db as unknown as { batch(items: readonly unknown[]): Promise<unknown[]> };
  return withBatch.batch(statements.map((s) => forD1(db, s)));
}
