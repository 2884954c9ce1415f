import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openLibsqlDatabase } from '../../src/db/libsql.ts';
import type { Database } from '../../src/db/types.ts';
import { buildTestApp, digestOf, jsonOf, MIGRATIONS } from '../helpers/app.ts';

const MIGRATE_FILE = fileURLToPath(new URL('../helpers/migrate-file.ts', import.meta.url));

/*
 * The tests run as root, and root ignores file modes: chmod cannot make a
 * file read-only for them. What does stop root: the immutable attribute
 * (chattr +i, which SQLite then opens read-only, as after a read-only
 * remount) and a full file system (a tiny tmpfs). Where either is not
 * possible (not root, a file system without attributes, no mount), its test
 * is skipped with one line saying why.
 */

const dirs: string[] = [];
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) run('umount', ['-l', m]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function run(cmd: string, args: string[]): string | null {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
    return null;
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || (err instanceof Error ? err.message : String(err));
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drydock-health-'));
  dirs.push(dir);
  return dir;
}

/** Null when chattr +i works here, else why not. */
function immutableUnsupported(): string | null {
  const file = join(tempDir(), 'probe');
  writeFileSync(file, '');
  const failed = run('chattr', ['+i', file]);
  run('chattr', ['-i', file]);
  return failed && `chattr +i is not possible here (${failed.split('\n')[0]})`;
}

/** A 2 MiB tmpfs, or why there is none. */
function tinyFileSystem(): { dir: string } | { skip: string } {
  const dir = tempDir();
  const failed = run('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
  if (failed) return { skip: `cannot mount a tmpfs to fill (${failed.split('\n')[0]})` };
  mounts.push(dir);
  return { dir };
}

const skipLine = (reason: string | null) => {
  if (reason) console.warn(`skipped: ${reason}`);
  return reason !== null;
};

const open = (path: string): Promise<Database> =>
  openLibsqlDatabase({ url: `file:${path}`, busyTimeoutMs: 1000, migrationsFolder: MIGRATIONS });

async function appOn(database: Database) {
  const env = {
    AUTH_MODE: 'token',
    AUTH_TOKENS: `ops:admin:${await digestOf('admin-secret')}`,
    HEALTH_WRITE_PROBE_CACHE_MS: '0',
  };
  const { app } = await buildTestApp({ database, env });
  const headers = { 'X-Auth-Token': 'admin-secret' };
  return {
    health: async () => (await app.request('/api/v1.0/health')).status,
    extended: async () => {
      const res = await app.request('/api/v1.0/health/extended', { headers });
      const body = await jsonOf(res);
      return { status: res.status, database: body.details.messageList.find((m: { name: string }) => m.name === 'database') };
    },
    storeDesign: async () =>
      (
        await app.request('/api/v1.0/designs', {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/x-yaml' },
          body: 'schema: drydock/Region/v1\nmetadata: {name: r}\ndata: {}\n',
        })
      ).status,
  };
}

describe('health follows whether the database can be written', () => {
  const noImmutable = immutableUnsupported();
  it.skipIf(skipLine(noImmutable))(
    'a process that opened a read-only database answers 503 until the file is writable, then 204 without a restart',
    async () => {
      const path = join(tempDir(), 'drydock.db');
      // In a child process: see test/helpers/migrate-file.ts for why.
      execFileSync(process.execPath, ['--import', 'tsx', MIGRATE_FILE, path], { stdio: 'pipe' });
      execFileSync('chattr', ['+i', path]);
      let database: Database | null = null;
      try {
        database = await open(path); // SQLite opens it read-only, and would keep it so
        const api = await appOn(database);
        expect(await api.health()).toBe(503);
        const extended = await api.extended();
        expect(extended.status).toBe(503);
        expect(extended.database).toMatchObject({ error: true });
        expect(extended.database.message).toMatch(/^database failed: libsql database cannot be written: .*SQLITE_READONLY/);
        expect(await api.storeDesign()).toBe(500);

        execFileSync('chattr', ['-i', path]);
        expect(await api.health()).toBe(204);
        expect((await api.extended()).database).toMatchObject({ error: false });
        expect(await api.storeDesign()).toBe(201);
      } finally {
        run('chattr', ['-i', path]);
        await database?.close();
      }
    },
  );

  const fs = tinyFileSystem();
  it.skipIf(skipLine('skip' in fs ? fs.skip : null))('a full disk answers 503, and 204 again once space is freed', async () => {
    if (!('dir' in fs)) return;
    const database = await open(join(fs.dir, 'drydock.db'));
    try {
      const api = await appOn(database);
      expect(await api.health()).toBe(204);
      const filler = join(fs.dir, 'filler');
      run('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k']); // stops at "No space left on device"
      expect(await api.health()).toBe(503);
      expect((await api.extended()).database.message).toMatch(/cannot be written: .*SQLITE_FULL/);
      rmSync(filler);
      expect(await api.health()).toBe(204);
      expect(await api.storeDesign()).toBe(201);
    } finally {
      await database.close();
    }
  });
});
