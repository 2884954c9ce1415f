import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { describe, expect, it } from 'vitest';
import * as schema from '../../src/db/schema/index.ts';
import type { Database, Db } from '../../src/db/types.ts';
import { MIGRATIONS } from '../helpers/app.ts';
import { harness, scriptedDrivers, siteOfNodes } from './harness.ts';

/** An in-memory database that counts the SQL statements sent to it (a batch counts each of its statements). */
async function countingDatabase() {
  const client = createClient({ url: ':memory:' });
  let statements = 0;
  const counting = {
    execute: (...args: unknown[]) => {
      statements++;
      return (client.execute as (...a: unknown[]) => unknown)(...args);
    },
    batch: (stmts: unknown[], mode?: unknown) => {
      statements += stmts.length;
      return (client.batch as (...a: unknown[]) => unknown)(stmts, mode);
    },
    migrate: (stmts: unknown[]) => (client.migrate as (...a: unknown[]) => unknown)(stmts),
    transaction: (mode?: unknown) => (client.transaction as (...a: unknown[]) => unknown)(mode),
    executeMultiple: (sql: string) => client.executeMultiple(sql),
    sync: () => client.sync(),
    close: () => client.close(),
    reconnect: () => client.reconnect(),
    get closed() {
      return client.closed;
    },
    get protocol() {
      return client.protocol;
    },
  } as unknown as Client;
  const db = drizzle(counting, { schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  const database: Database = { db: db as unknown as Db, kind: 'libsql', ping: async () => {}, close: async () => client.close() };
  return { database, count: () => statements };
}

async function statementsFor(nodes: number): Promise<number> {
  const { database, count } = await countingDatabase();
  const d = scriptedDrivers({
    // Every node is pending once, as machines are while they deploy.
    script: (action, _node, call) => (action === 'deploy_node' && call === 1 ? { state: 'pending', retryAfterMs: 1000 } : { state: 'done' }),
  });
  const h = await harness({ drivers: d.drivers, sites: { 'design://s': siteOfNodes(nodes) }, database });
  await h.create({ action: 'prepare_nodes', designRef: 'design://s' });
  await h.create({ action: 'deploy_nodes', designRef: 'design://s' });
  const before = count();
  await h.drain();
  return count() - before;
}

describe('cost in nodes', () => {
  it('spends no more orchestrator statements per node on 500 nodes than on 10', async () => {
    const small = (await statementsFor(10)) / 10;
    const large = (await statementsFor(500)) / 500;
    expect(large).toBeLessThanOrEqual(small);
    // A step covers up to 50 nodes in a fixed number of statements.
    expect(large).toBeLessThan(2);
  });
});
