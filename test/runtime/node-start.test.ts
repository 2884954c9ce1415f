import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_ENTRY, ROOT, runToExit, startServer, type Server } from '../helpers/spawn.ts';

// `npm start` for real: tsx src/node.ts in a child process, over loopback.

let dir: string;
const started: Server[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-node-'));
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function start(vars: Record<string, string | undefined>): Promise<Server> {
  const server = await startServer(NODE_ENTRY, { PORT: '0', HOST: '127.0.0.1', ...vars });
  started.push(server);
  return server;
}

const extended = (server: Server, token?: string) =>
  fetch(`${server.url}/api/v1.0/health/extended`, { headers: token ? { 'X-Auth-Token': token } : {} });

describe('node start with the generated admin token', () => {
  const env = () => ({ DATABASE_URL: `file:${join(dir, 'd.db')}`, ADMIN_TOKEN_FILE: join(dir, 'admin-token') });
  let firstToken = '';

  it('listens on the real port of PORT=0, on loopback', async () => {
    const server = await start(env());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.records().find((r) => /listening on/.test(String(r.msg)))).toMatchObject({
      level: 'info',
      runtime: 'node',
      port: server.port,
    });
  });

  it('writes a 0600 token file and prints its path but never the token', async () => {
    const server = started[0]!;
    const info = await stat(join(dir, 'admin-token'));
    expect(info.mode & 0o777).toBe(0o600);
    firstToken = (await readFile(join(dir, 'admin-token'), 'utf8')).trim();
    expect(firstToken).toMatch(/^ddt_[0-9a-f]{64}$/);
    await expect.poll(() => server.output()).toContain(`Generated an admin token in ${join(dir, 'admin-token')}`);
    expect(server.output()).not.toContain(firstToken);
  });

  it('answers health 204 without auth', async () => {
    const res = await fetch(`${started[0]!.url}/api/v1.0/health`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('answers extended health 200 with the token and 401 without', async () => {
    const server = started[0]!;
    const ok = await extended(server, firstToken);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as any;
    expect(body).toMatchObject({ kind: 'Status', status: 'Success', code: 200 });
    expect(body.details.messageList).toContainEqual(
      expect.objectContaining({ name: 'database', error: false, message: 'libsql database answers and takes writes' }),
    );
    const denied = await extended(server, undefined);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBeTruthy();
    expect((await extended(server, 'ddt_wrong')).status).toBe(401);
    // The request log names the user, never the token.
    expect(server.output()).not.toContain(firstToken);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const server = started.shift()!;
    expect(await server.stop()).toBe(0);
    expect(server.records().some((r) => r.msg === 'shutting down' && r.signal === 'SIGTERM')).toBe(true);
  });

  it('reuses the same token on a second start', async () => {
    const server = await start(env());
    expect((await readFile(join(dir, 'admin-token'), 'utf8')).trim()).toBe(firstToken);
    await expect.poll(() => server.output()).toContain(`Using the admin token in ${join(dir, 'admin-token')}`);
    expect((await extended(server, firstToken)).status).toBe(200);
    expect(await server.stop()).toBe(0);
    started.splice(started.indexOf(server), 1);
  });

  it('applied the migrations to the database file', async () => {
    const migrations = (await readdir(join(ROOT, 'migrations'))).filter((f) => f.endsWith('.sql'));
    const sql = (await Promise.all(migrations.map((f) => readFile(join(ROOT, 'migrations', f), 'utf8')))).join('\n');
    const expected = [...sql.matchAll(/CREATE TABLE `([^`]+)`/g)].map((m) => m[1]!);
    expect(expected.length).toBeGreaterThan(0);
    const client = createClient({ url: `file:${join(dir, 'd.db')}` });
    try {
      const tables = await client.execute("select name from sqlite_master where type = 'table'");
      const names = tables.rows.map((r) => String(r.name));
      expect(names).toEqual(expect.arrayContaining(expected));
      const applied = await client.execute('select count(*) as n from __drizzle_migrations');
      expect(Number(applied.rows[0]!.n)).toBe(migrations.length);
    } finally {
      client.close();
    }
  });
});

describe('node start-up failures and warnings', () => {
  it('PORT=abc exits non-zero naming PORT', async () => {
    const { code, output } = await runToExit(NODE_ENTRY, { PORT: 'abc', DATABASE_URL: `file:${join(dir, 'x.db')}` });
    expect(code).not.toBe(0);
    expect(output).toMatch(/\bPORT\b/);
    expect(output).not.toMatch(/\n\s+at /); // one readable line, no stack trace
  });

  it('a PORT in use exits non-zero with one line naming the port and PORT, no stack trace', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const { code, output } = await runToExit(NODE_ENTRY, {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${join(dir, 'busy.db')}`,
        ADMIN_TOKEN_FILE: join(dir, 'busy-token'),
      });
      expect(code).toBe(1);
      const lines = output.split('\n').filter((l) => l.includes(String(port)));
      expect(lines).toEqual([`Port ${port} on 127.0.0.1 is already in use: stop what listens there or set PORT to another port (PORT=0 picks a free one)`]);
      expect(output).not.toMatch(/\n\s+at /);
      expect(output).not.toContain('EADDRINUSE');
    } finally {
      taken.close();
    }
  });

  it('AUTH_MODE=keystone without KEYSTONE_AUTH_URL exits naming it', async () => {
    const { code, output } = await runToExit(NODE_ENTRY, {
      AUTH_MODE: 'keystone',
      DATABASE_URL: `file:${join(dir, 'x.db')}`,
    });
    expect(code).not.toBe(0);
    expect(output).toContain('KEYSTONE_AUTH_URL');
  });

  it('AUTH_MODE=none starts with a warning and serves extended health openly', async () => {
    const server = await start({ AUTH_MODE: 'none', DATABASE_URL: `file:${join(dir, 'open.db')}` });
    const warning = server.records().find((r) => r.level === 'warn' && /AUTH_MODE=none/.test(String(r.msg)));
    expect(warning).toBeDefined();
    expect((await extended(server)).status).toBe(200);
  });

  it('announces where it listens even with LOG_LEVEL=error, and logs no requests', async () => {
    const server = await start({ AUTH_MODE: 'none', LOG_LEVEL: 'error', DATABASE_URL: `file:${join(dir, 'quiet.db')}` });
    expect((await fetch(`${server.url}/versions`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.records().some((r) => r.msg === 'request')).toBe(false);
  });
});
