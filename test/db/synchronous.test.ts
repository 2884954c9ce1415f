import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { openLibsqlDatabase } from '../../src/db/libsql.ts';
import type { Database } from '../../src/db/types.ts';
import { MIGRATIONS } from '../helpers/app.ts';

const dirs: string[] = [];
const opened: Database[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(synchronous?: 'normal' | 'full') {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-sync-'));
  dirs.push(dir);
  const database = await openLibsqlDatabase({ url: `file:${join(dir, 'db.sqlite')}`, busyTimeoutMs: 1000, migrationsFolder: MIGRATIONS, synchronous });
  opened.push(database);
  return database;
}

// SQLite's numbers: 1 NORMAL, 2 FULL.
const synchronousOf = async (database: Database) => Number((await database.db.get<{ synchronous: number }>(sql`PRAGMA synchronous`))?.synchronous);

describe('DATABASE_SYNCHRONOUS', () => {
  it('defaults to normal, which a local file in WAL mode uses on every call', async () => {
    expect(loadConfig({}).DATABASE_SYNCHRONOUS).toBe('normal');
    const database = await open();
    // Several calls at once: each must run on a connection that has the setting.
    const values = await Promise.all(Array.from({ length: 5 }, () => synchronousOf(database)));
    expect(values).toEqual([1, 1, 1, 1, 1]);
    const mode = await database.db.get<{ journal_mode: string }>(sql`PRAGMA journal_mode`);
    expect(mode?.journal_mode).toBe('wal');
  });

  it('is full when asked', async () => {
    expect(loadConfig({ DATABASE_SYNCHRONOUS: 'full' }).DATABASE_SYNCHRONOUS).toBe('full');
    expect(await synchronousOf(await open('full'))).toBe(2);
  });

  it('refuses another value at start, naming the setting', () => {
    expect(() => loadConfig({ DATABASE_SYNCHRONOUS: 'off' })).toThrow(/DATABASE_SYNCHRONOUS must be one of: normal, full/);
  });
});
