import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_ENTRY, startServer, type Server } from '../helpers/spawn.ts';

// file:// design refs on a real Node server: a FIFO below DESIGN_FILE_ROOT
// used to block open() in a libuv thread per request, so four requests took
// every thread; then nothing that hashes a token answered and SIGTERM could
// not stop the process.

let dir: string;
let root: string;
let server: Server;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-file-refs-'));
  root = join(dir, 'designs');
  await mkdir(root);
  execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
  await writeFile(join(dir, 'outside.yaml'), 'secret: do-not-show\n');
  await symlink(join(dir, 'outside.yaml'), join(root, 'escape.yaml'));
  server = await startServer(NODE_ENTRY, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'd.db')}`,
    ADMIN_TOKEN_FILE: join(dir, 'admin-token'),
    DESIGN_FILE_ROOT: root,
    DESIGN_FETCH_TIMEOUT_MS: '3000',
  });
  token = (await readFile(join(dir, 'admin-token'), 'utf8')).trim();
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const validate = (href: string) =>
  fetch(`${server.url}/api/v1.0/validatedesign`, {
    method: 'POST',
    headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ rel: 'design', href, type: 'application/x-yaml' }),
    signal: AbortSignal.timeout(10_000),
  });

describe('file:// design refs on Node', () => {
  it('refuses a FIFO below the root without opening it, however many ask at once', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => validate(`file://${join(root, 'fifo.yaml')}`)));
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/: not a regular file$/);
    }
  });

  it('still answers requests that hash a token afterwards', async () => {
    // Before the fix every libuv thread was stuck in open(): the digest never ran.
    const res = await fetch(`${server.url}/api/v1.0/health/extended`, {
      headers: { 'X-Auth-Token': token },
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(200);
  });

  it('refuses a symlink that leads out of the root, without reading it', async () => {
    const res = await validate(`file://${join(root, 'escape.yaml')}`);
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('outside DESIGN_FILE_ROOT');
    expect(body).not.toContain('do-not-show');
  });

  it('stops on SIGTERM', async () => {
    expect(await server.stop(8000)).toBe(0);
  });
});
