import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as schema from './schema/index.ts';
import { createResilientClient } from './libsql-client.ts';
import type { Database, Db } from './types.ts';

export interface LibsqlOptions {
  url: string;
  authToken?: string;
  busyTimeoutMs: number;
  migrationsFolder: string;
}

/**
 * Opens the Node/Deno database and applies the migrations. Local files run
 * in WAL mode with a busy timeout so several processes can share one file.
 */
export async function openLibsqlDatabase(options: LibsqlOptions): Promise<Database> {
  const isFile = options.url.startsWith('file:');
  if (isFile) {
    const path = options.url.slice('file:'.length).split('?')[0] ?? '';
    if (path && path !== ':memory:') await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  }
  const client = createResilientClient({
    url: options.url,
    authToken: options.authToken,
    timeout: options.busyTimeoutMs,
  });
  if (isFile && !options.url.includes(':memory:')) {
    await client.execute('PRAGMA journal_mode=WAL');
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: options.migrationsFolder });
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
