import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureAdminToken } from '../../src/runtime/admin-token.ts';
import { digestOf } from '../helpers/app.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempPath() {
  const dir = await mkdtemp(join(tmpdir(), 'dd-token-'));
  dirs.push(dir);
  return join(dir, 'data', 'admin-token');
}

describe('the generated admin token', () => {
  it('is written once, readable only by its owner, and known to the service by digest', async () => {
    const path = await tempPath();
    const first = await ensureAdminToken(path);
    expect(first.created).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const token = (await readFile(path, 'utf8')).trim();
    expect(token).toMatch(/^ddt_[0-9a-f]{64}$/);
    expect(first.entry).toEqual({ name: 'admin', roles: ['admin'], digest: await digestOf(token) });
    const again = await ensureAdminToken(path);
    expect(again.created).toBe(false);
    expect(again.entry.digest).toBe(first.entry.digest);
  });

  it('tightens a token file that others can read', async () => {
    const path = await tempPath();
    await ensureAdminToken(path);
    const { chmod } = await import('node:fs/promises');
    await chmod(path, 0o644);
    await ensureAdminToken(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('refuses an empty token file instead of accepting an empty token', async () => {
    const path = await tempPath();
    await ensureAdminToken(path);
    await writeFile(path, '\n');
    await expect(ensureAdminToken(path)).rejects.toThrow(/empty/);
  });
});
