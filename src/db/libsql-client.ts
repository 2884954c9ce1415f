import { createClient, type Client, type Config } from '@libsql/client';

/** SQLITE_BUSY, however the local or remote client reports it. */
export function isBusy(err: unknown): boolean {
  const code = err as { code?: string; cause?: { code?: string } } | null;
  const text = `${code?.code ?? ''} ${code?.cause?.code ?? ''} ${String((err as Error)?.message ?? '')}`;
  return text.includes('SQLITE_BUSY') || text.includes('database is locked');
}

/**
 * A libSQL client that replaces its connection after SQLITE_BUSY.
 *
 * @libsql/client 0.18 has a data-loss bug: once one SQLITE_BUSY reaches the
 * caller, later writes on the same client report success but are never
 * committed. So the first BUSY closes the connection and the next call opens
 * a fresh one; the failing call still fails (its caller retries or answers).
 */
export function createResilientClient(config: Config): Client {
  let inner = createClient(config);

  async function guard<T>(run: (c: Client) => Promise<T>): Promise<T> {
    const client = inner;
    try {
      return await run(client);
    } catch (err) {
      if (isBusy(err) && client === inner) {
        inner = createClient(config);
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
    close: () => inner.close(),
    reconnect: () => inner.reconnect(),
    get closed() {
      return inner.closed;
    },
    get protocol() {
      return inner.protocol;
    },
  };
  return wrapper;
}
