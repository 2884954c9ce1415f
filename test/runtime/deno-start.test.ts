import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, parseAnswer, readAnswer, startPost } from '../helpers/raw-http.ts';
import { expectStrictPage } from '../helpers/reference-page.ts';
import { DENO_ENTRY, ROOT, runToExit, startServer, type Server } from '../helpers/spawn.ts';

// `npm run start:deno` for real: the same app on Deno.serve and a libSQL file.
// A cold Deno start takes several seconds on this machine; give it room.

let dir: string;
let server: Server | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-deno-'));
  await mkdir(join(dir, 'designs'));
  await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(dir, 'designs', 'site.yaml'));
  execFileSync('mkfifo', [join(dir, 'designs', 'fifo.yaml')]);
  server = await startServer(
    DENO_ENTRY,
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'd.db')}`,
      ADMIN_TOKEN_FILE: join(dir, 'admin-token'),
      DESIGN_FILE_ROOT: join(dir, 'designs'),
      REQUEST_BODY_TIMEOUT_MS: '1000',
    },
    90_000,
  );
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('deno start', () => {
  it('reports the real port in onListen when PORT=0', () => {
    expect(server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server!.port).toBeGreaterThan(0);
    const record = server!.records().find((r) => /listening on/.test(String(r.msg)));
    expect(record).toMatchObject({ runtime: 'deno', port: server!.port });
  });

  it('a PORT in use exits non-zero with one line naming the port and PORT, no stack trace', async () => {
    const port = server!.port;
    const { code, output } = await runToExit(
      DENO_ENTRY,
      { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${join(dir, 'busy.db')}`, ADMIN_TOKEN_FILE: join(dir, 'busy-token') },
      90_000,
    );
    expect(code).toBe(1);
    const lines = output.split('\n').filter((l) => l.includes(String(port)));
    expect(lines).toEqual([`Port ${port} on 127.0.0.1 is already in use: stop what listens there or set PORT to another port (PORT=0 picks a free one)`]);
    expect(output).not.toMatch(/\n\s+at /);
  }, 100_000);

  it('answers health 204', async () => {
    const res = await fetch(`${server!.url}/api/v1.0/health`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('answers versions 200', async () => {
    const res = await fetch(`${server!.url}/versions`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ 'v1.0': { path: '/api/v1.0', status: 'stable' } });
  });

  it('serves the API reference page with Swagger UI read from node_modules', async () => {
    const page = await fetch(`${server!.url}/api/v1.0/docs`);
    expect(page.status).toBe(200);
    expectStrictPage(await page.text(), page.headers);
    const css = await fetch(`${server!.url}/api/v1.0/docs/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).toBe(await readFile(join(ROOT, 'node_modules/swagger-ui-dist/swagger-ui.css'), 'utf8'));
    const doc = await fetch(`${server!.url}/api/v1.0/openapi.json`);
    expect(((await doc.json()) as any).openapi).toBe('3.1.0');
  });

  it('writes the 0600 admin token file and accepts its token', async () => {
    const file = join(dir, 'admin-token');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const token = (await readFile(file, 'utf8')).trim();
    expect(server!.output()).not.toContain(token);
    const res = await fetch(`${server!.url}/api/v1.0/health/extended`, { headers: { 'X-Auth-Token': token } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).details.messageList).toContainEqual(
      expect.objectContaining({ name: 'database', error: false }),
    );
  });

  it('reads file:// designs below DESIGN_FILE_ROOT through node:fs, and refuses a FIFO there', async () => {
    const token = (await readFile(join(dir, 'admin-token'), 'utf8')).trim();
    const validate = (name: string) =>
      fetch(`${server!.url}/api/v1.0/validatedesign`, {
        method: 'POST',
        headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ rel: 'design', href: `file://${join(dir, 'designs', name)}`, type: 'application/x-yaml' }),
        signal: AbortSignal.timeout(20_000),
      });
    const ok = await validate('site.yaml');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'Success' });
    const fifo = await validate('fifo.yaml');
    expect(fifo.status).toBe(400);
    expect(((await fifo.json()) as { message: string }).message).toMatch(/: not a regular file$/);
  });

  it('answers 408 in the error envelope when a declared body does not arrive in time', async () => {
    const token = (await readFile(join(dir, 'admin-token'), 'utf8')).trim();
    const socket = await openSocket(server!.port);
    startPost(socket, '/api/v1.0/tasks', { 'X-Auth-Token': token }, 200, '{"action": "valid');
    const answer = await readAnswer(socket, 8000);
    socket.destroy();
    const { status, body } = parseAnswer(answer);
    expect(status).toBe(408);
    expect(body).toMatchObject({ reason: 'RequestTimeout', code: 408, message: 'Request body not received within 1000 ms' });
  });
});
