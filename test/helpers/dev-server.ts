import { copyFile, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from './origin.ts';
import { ROOT, spawnProcess, type Spawned } from './spawn.ts';

/**
 * A copy of the project's layout in a temporary folder for `npm run dev`
 * (scripts/dev.mjs): its .dev.vars, .data/ and .wrangler/state are the
 * test's own, not the checkout's.
 */
export async function devProject(prefix: string): Promise<{ dir: string; port: number }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  for (const entry of ['src', 'migrations', 'scripts', 'node_modules']) await symlink(join(ROOT, entry), join(dir, entry));
  await copyFile(join(ROOT, 'wrangler.toml'), join(dir, 'wrangler.toml'));
  await copyFile(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return { dir, port: await closedPort() };
}

/** Starts `node scripts/dev.mjs <args>` as `npm run dev -- <args>` would, and waits until the Worker answers. */
export async function startDev(dir: string, port: number, args: string[], waitMs = 90_000): Promise<Spawned> {
  const proc = spawnProcess([process.execPath, 'scripts/dev.mjs', ...args], { PORT: String(port), HOST: '127.0.0.1' }, dir);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const answer = await fetch(`http://127.0.0.1:${port}/api/v1.0/health`).catch(() => null);
    if (answer?.status === 204) return proc;
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      await proc.stop();
      throw new Error(`npm run dev did not answer:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The admin token `npm run dev` made (and accepts) in the project's .data/. */
export async function devAdminToken(dir: string): Promise<string> {
  return (await readFile(join(dir, '.data/admin-token'), 'utf8')).trim();
}
