import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToExit, TSX } from '../helpers/spawn.ts';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS } from '../helpers/app.ts';

// Instances started together on a new database file: before the fix, one in
// about fifteen exited with "table result_messages already exists".
const PROCESSES = 4;
const ROUNDS = 20;
const ROUND_MS = 200;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-migrate-race-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('migrations under concurrent starts', () => {
  it('succeed in every process that opens a new file at once, applying each migration once', async () => {
    const files = Array.from({ length: ROUNDS }, (_, i) => join(dir, `round-${i}.db`));
    // Far enough ahead that every child has loaded its modules before round 0.
    const startAt = Date.now() + 6000;
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, () =>
        runToExit([TSX, 'test/db/children/open-databases.ts', String(startAt), String(ROUND_MS), ...files], {}, 60_000),
      ),
    );
    for (const run of runs) {
      expect(run.code, run.output).toBe(0);
      expect(JSON.parse(run.output.trim().split('\n').at(-1)!)).toEqual({ failures: [] });
    }
    const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS }).map((m) => m.hash);
    for (const file of files) {
      const client = createClient({ url: `file:${file}` });
      const rows = await client.execute('SELECT hash FROM __drizzle_migrations ORDER BY created_at');
      client.close();
      expect(rows.rows.map((r) => r.hash)).toEqual(expected);
    }
  }, 90_000);
});
