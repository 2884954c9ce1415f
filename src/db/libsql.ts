import type { Client } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as schema from './schema/index.ts';
import { createResilientClient, isBusy } from './libsql-client.ts';
import { migrateLibsql } from './libsql-migrate.ts';
import { reuseLibsqlStatements } from './libsql-statements.ts';
import type { Database, Db } from './types.ts';

export interface LibsqlOptions {
  url: string;
  authToken?: string;
  busyTimeoutMs: number;
  migrationsFolder: string;
  /**
   * A local file's `PRAGMA synchronous` (DATABASE_SYNCHRONOUS; default
   * normal). In WAL mode `normal` syncs at checkpoints, not at each commit:
   * a commit costs about 20-40 µs instead of a disk flush (0.24 ms on the
   * bench VM's quiet disk, 2.5 ms on its busy one), and a power loss or OS crash (not a process crash) can lose
   * the last commits but never corrupts the database.
   */
  synchronous?: 'normal' | 'full';
}

/**
 * Switching a new file to WAL needs an exclusive lock, and SQLite answers
 * SQLITE_BUSY at once (without the busy timeout) while another process
 * starting on the same file holds one; so retry within the busy timeout.
 */
async function enableWal(client: Client, busyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      await client.execute('PRAGMA journal_mode=WAL');
      return;
    } catch (err) {
      if (!isBusy(err) || Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
    }
  }
}

/**
 * Opens the Node/Deno database and applies the migrations. Local files run
 * in WAL mode with a busy timeout so several processes can share one file;
 * instances starting together on a new database migrate it once.
 */
export async function openLibsqlDatabase(options: LibsqlOptions): Promise<Database> {
  const isFile = options.url.startsWith('file:');
  if (isFile) {
    const path = options.url.slice('file:'.length).split('?')[0] ?? '';
    if (path && path !== ':memory:') await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  }
  const localFile = isFile && !options.url.includes(':memory:');
  // Local connections (files and :memory:) go through the libsql binding; a remote server never does.
  reuseLibsqlStatements();
  const client = createResilientClient(
    { url: options.url, authToken: options.authToken, timeout: options.busyTimeoutMs },
    localFile ? [`PRAGMA synchronous=${options.synchronous ?? 'normal'}`] : [],
  );
  if (localFile) {
    await enableWal(client, options.busyTimeoutMs);
  }
  await migrateLibsql(client, options.migrationsFolder);
  const db = drizzle(client, { schema });
  return {
    db: db as unknown as Db,
    kind: 'libsql',
    async ping() {
      await db.get(sql`select 1`);
    },
    async close() {
      client.close();
    },
  };
}
