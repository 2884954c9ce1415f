import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client, type InStatement } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { openLibsqlDatabase } from '../../src/db/libsql.ts';
import { migrateLibsql } from '../../src/db/libsql-migrate.ts';
import { tasks } from '../../src/db/schema/index.ts';
import { MIGRATIONS, memoryDatabase } from '../helpers/app.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('migrations', () => {
  it('create every table and the indexes the API looks things up by', async () => {
    const { db } = await memoryDatabase();
    const rows = await db.all<{ type: string; name: string }>(
      sql`select type, name from sqlite_master where name not like 'sqlite_%' and name not like '__drizzle%' order by name`,
    );
    const names = rows.map((r) => r.name);
    for (const table of ['tasks', 'result_messages', 'boot_action_contexts', 'boot_action_status', 'build_data', 'designs', 'site_inventory']) {
      expect(names).toContain(table);
    }
    for (const index of [
      'tasks_parent_idx',
      'tasks_status_next_run_idx',
      'result_messages_task_idx',
      'boot_action_status_node_idx',
      'build_data_node_generator_idx',
    ]) {
      expect(names).toContain(index);
    }
  });

  it('never disable foreign keys (D1 ignores PRAGMA foreign_keys; use defer_foreign_keys)', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    for (const file of (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql'))) {
      expect(await readFile(join(MIGRATIONS, file), 'utf8')).not.toMatch(/PRAGMA\s+foreign_keys\s*=/i);
    }
  });

  it('open a local file in WAL mode, create its folder, and apply once across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dd-db-'));
    dirs.push(dir);
    const url = `file:${join(dir, 'nested', 'drydock.db')}`;
    const first = await openLibsqlDatabase({ url, busyTimeoutMs: 1000, migrationsFolder: MIGRATIONS });
    await first.db.insert(tasks).values({ taskId: 't-1', action: 'validate_design', created: new Date() });
    const mode = await first.db.get<{ journal_mode: string }>(sql`PRAGMA journal_mode`);
    expect(mode?.journal_mode).toBe('wal');
    await first.close();
    const second = await openLibsqlDatabase({ url, busyTimeoutMs: 1000, migrationsFolder: MIGRATIONS });
    const rows = await second.db.select().from(tasks);
    expect(rows.map((r) => r.taskId)).toEqual(['t-1']);
    expect(rows[0]).toMatchObject({ status: 'requested', resultSuccesses: [], retry: 0, terminate: false });
    await second.close();
  });

  it('keep drizzle\'s bookkeeping: a database drizzle migrated opens without re-applying anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dd-db-'));
    dirs.push(dir);
    const url = `file:${join(dir, 'drizzle.db')}`;
    const client = createClient({ url });
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
    const before = (await client.execute('SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY id')).rows;
    client.close();
    const opened = await openLibsqlDatabase({ url, busyTimeoutMs: 1000, migrationsFolder: MIGRATIONS });
    await opened.close();
    const again = createClient({ url });
    expect((await again.execute('SELECT id, hash, created_at FROM __drizzle_migrations ORDER BY id')).rows).toEqual(before);
    expect(before.map((r) => r.hash)).toEqual(readMigrationFiles({ migrationsFolder: MIGRATIONS }).map((m) => m.hash));
    again.close();
  });

  it('skip what another instance applied between their read and their write lock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dd-db-'));
    dirs.push(dir);
    const url = `file:${join(dir, 'raced.db')}`;
    const mine = createClient({ url });
    const other = createClient({ url });
    let raced = false;
    // This instance reads "nothing applied"; the other then migrates before this one writes.
    const racing = {
      async execute(stmt: string) {
        const result = await mine.execute(stmt);
        if (!raced && /^SELECT coalesce\(max\(created_at\)/.test(stmt)) {
          raced = true;
          await migrateLibsql(other, MIGRATIONS);
        }
        return result;
      },
      batch: (stmts: InStatement[], mode: 'write') => mine.batch(stmts, mode),
    } as unknown as Client;
    await migrateLibsql(racing, MIGRATIONS);
    expect(raced).toBe(true);
    const rows = (await mine.execute('SELECT hash FROM __drizzle_migrations ORDER BY id')).rows;
    expect(rows.map((r) => r.hash)).toEqual(readMigrationFiles({ migrationsFolder: MIGRATIONS }).map((m) => m.hash));
    mine.close();
    other.close();
  });
});
