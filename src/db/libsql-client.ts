import { createClient, type Client, type Config } from '@libsql/client';

/** SQLITE_BUSY, however the local or remote client reports it. */
export function isBusy(err: unknown): boolean {
  const code = err as { code?: string; cause?: { code?: string } } | null;
  const text = `${code?.code ?? ''} ${code?.cause?.code ?? ''} ${String((err as Error)?.message ?? '')}`;
  return text.includes('SQLITE_BUSY') || text.includes('database is locked');
}

/**
 * SQLite result codes after which a connection is not reused. BUSY: the
 * @libsql/client 0.18 data-loss bug (once one SQLITE_BUSY reaches the
 * caller, later writes on that client report success but are never
 * committed). READONLY, CANTOPEN: SQLite opens a file it may not write
 * read-only and keeps it so for the connection's life, so a process that
 * started on a read-only disk would never write again. FULL, IOERR: the
 * connection's state after a failed write to the disk is not trusted.
 * Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED …) share the prefix.
 */
const REPLACE_AFTER = ['SQLITE_BUSY', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_FULL', 'SQLITE_IOERR'];

export function needsNewConnection(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  const text = `${e?.code ?? ''} ${e?.cause?.code ?? ''} ${String((err as Error)?.message ?? '')}`;
  return REPLACE_AFTER.some((code) => text.includes(code)) || text.includes('database is locked');
}

/**
 * A libSQL client that replaces its connection after the errors above. The
 * failing call still fails (its caller retries or answers); the connection
 * is closed at once and a new one opened by the next call, not before: one
 * opened while the disk is still read-only would be read-only for good, so
 * the first call after the disk recovers is the one that opens it.
 *
 * An in-memory database is never replaced: a new connection would be a new,
 * empty database.
 *
 * `pragmas` run on each connection before its first statement (per
 * connection settings such as `synchronous`). A local file client then keeps
 * one connection (concurrency 1): every call on it is synchronous, so a
 * second connection would add no parallelism, only a connection that never
 * ran the pragmas.
 */
export function createResilientClient(config: Config, pragmas: readonly string[] = []): Client {
  const replaceable = !config.url.includes(':memory:');
  const settings: Config = pragmas.length > 0 && config.url.startsWith('file:') ? { ...config, concurrency: 1 } : config;
  const prepared = new WeakMap<Client, Promise<void>>();
  const open = (): Client => {
    const client = createClient(settings);
    if (pragmas.length > 0) {
      const ready = (async () => {
        for (const pragma of pragmas) await client.execute(pragma);
      })();
      // Observed by the first call; a failure there is that call's error.
      ready.catch(() => {});
      prepared.set(client, ready);
    }
    return client;
  };
  let inner: Client | null = open();
  let shut = false;

  const current = (): Client => {
    if (inner) return inner;
    if (shut) throw new Error('The database client is closed');
    inner = open();
    return inner;
  };

  async function guard<T>(run: (c: Client) => Promise<T>): Promise<T> {
    const client = current();
    try {
      const ready = prepared.get(client);
      if (ready) await ready;
      return await run(client);
    } catch (err) {
      if (replaceable && client === inner && needsNewConnection(err)) {
        inner = null;
        try {
          client.close();
        } catch {
          // Already closed: nothing to release.
        }
      }
      throw err;
    }
  }

  const wrapper: Client = {
    execute: ((stmt: Parameters<Client['execute']>[0], args?: Parameters<Client['execute']>[1]) =>
      guard((c) => (args === undefined ? c.execute(stmt as never) : c.execute(stmt as string, args)))) as Client['execute'],
    batch: (stmts, mode) => guard((c) => c.batch(stmts, mode)),
    migrate: (stmts) => guard((c) => c.migrate(stmts)),
    transaction: ((mode?: 'write' | 'read' | 'deferred') => guard((c) => c.transaction(mode))) as Client['transaction'],
    executeMultiple: (text) => guard((c) => c.executeMultiple(text)),
    sync: () => guard((c) => c.sync()),
    close: () => {
      shut = true;
      inner?.close();
    },
    reconnect: () => current().reconnect(),
    get closed() {
      return shut || (inner?.closed ?? false);
    },
    get protocol() {
      return current().protocol;
    },
  };
  return wrapper;
}
