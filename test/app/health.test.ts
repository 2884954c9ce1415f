import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/types.ts';
import { buildTestApp, digestOf, memoryDatabase, jsonOf } from '../helpers/app.ts';

/** A database whose every use except ping throws. */
async function pingOnly(ping: () => Promise<void>): Promise<Database> {
  const real = await memoryDatabase();
  const forbidden = new Proxy({}, {
    get(_t, prop) {
      throw new Error(`health touched db.${String(prop)}`);
    },
  });
  return { ...real, db: forbidden as Database['db'], ping };
}

const down = () => Promise.reject(new Error('connection refused'));

describe('GET /api/v1.0/health', () => {
  it('answers 204 with no body when the database answers', async () => {
    const { app } = await buildTestApp({ env: { AUTH_MODE: 'token' } });
    const res = await app.request('/api/v1.0/health');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('needs no credentials even in keystone mode and never calls the identity service', async () => {
    let calls = 0;
    const { app } = await buildTestApp({
      env: { AUTH_MODE: 'keystone', KEYSTONE_AUTH_URL: 'http://127.0.0.1:1/v3', KEYSTONE_USERNAME: 'u', KEYSTONE_PASSWORD: 'p' },
      fetch: async () => {
        calls++;
        throw new Error('unreachable');
      },
    });
    expect((await app.request('/api/v1.0/health')).status).toBe(204);
    expect(calls).toBe(0);
  });

  it('leaves no row behind: the write probe deletes what it inserts (Drydock writes a task row per call)', async () => {
    const { app, database } = await buildTestApp({ env: { HEALTH_WRITE_PROBE_CACHE_MS: '0' } });
    for (let i = 0; i < 3; i++) expect((await app.request('/api/v1.0/health')).status).toBe(204);
    const [probes] = await database.db.all<{ n: number }>(sql`select count(*) as n from write_probes`);
    const [taskRows] = await database.db.all<{ n: number }>(sql`select count(*) as n from tasks`);
    expect([probes?.n, taskRows?.n]).toEqual([0, 0]);
  });

  it('probes the database once per HEALTH_WRITE_PROBE_CACHE_MS however often it is asked', async () => {
    const real = await memoryDatabase();
    let pings = 0;
    const database: Database = { ...real, ping: async () => void pings++ };
    const cached = await buildTestApp({ database, env: { HEALTH_WRITE_PROBE_CACHE_MS: '60000' } });
    for (let i = 0; i < 5; i++) expect((await cached.app.request('/api/v1.0/health')).status).toBe(204);
    expect(pings).toBe(1);
    const uncached = await buildTestApp({ database, env: { HEALTH_WRITE_PROBE_CACHE_MS: '0' } });
    for (let i = 0; i < 3; i++) await uncached.app.request('/api/v1.0/health');
    expect(pings).toBe(4);
  });

  it('answers 503 when the database answers reads but refuses writes', async () => {
    const real = await memoryDatabase();
    const refusing = new Proxy(real.db, {
      get(target, prop, receiver) {
        if (prop === 'batch') return () => Promise.reject(new Error('SQLITE_READONLY: attempt to write a readonly database'));
        return Reflect.get(target, prop, receiver);
      },
    });
    const { app } = await buildTestApp({ database: { ...real, db: refusing } });
    expect((await app.request('/api/v1.0/health')).status).toBe(503);
  });

  it('answers 503 when the database does not answer', async () => {
    const { app, logs } = await buildTestApp({ database: await pingOnly(down) });
    const res = await app.request('/api/v1.0/health');
    expect(res.status).toBe(503);
    expect(logs.some((l) => l.record.msg === 'health check failed')).toBe(true);
  });

  it('answers 503 rather than hanging when the database hangs', async () => {
    const { app } = await buildTestApp({
      env: { HEALTH_CHECK_TIMEOUT_MS: '50' },
      database: await pingOnly(() => new Promise(() => {})),
    });
    const res = await app.request('/api/v1.0/health');
    expect(res.status).toBe(503);
  });
});

describe('GET /api/v1.0/health/extended', () => {
  const tokens = async () => ({
    AUTH_MODE: 'token',
    AUTH_TOKENS: `ops:admin:${await digestOf('admin-secret')},viewer:member:${await digestOf('member-secret')}`,
  });

  it('reports each check (database and enabled drivers) in a Status document', async () => {
    const { app } = await buildTestApp({ env: { ...(await tokens()), OOB_DRIVER: 'fake,manual' } });
    const res = await app.request('/api/v1.0/health/extended', { headers: { 'X-Auth-Token': 'admin-secret' } });
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1.0', status: 'Success', reason: 'HealthCheck', code: 200 });
    expect(body.details.errorCount).toBe(0);
    const names = body.details.messageList.map((m: { name: string }) => m.name);
    expect(names).toEqual(['database', 'node driver fake', 'oob driver fake', 'oob driver manual']);
    for (const m of body.details.messageList) expect(m).toMatchObject({ kind: 'SimpleMessage', error: false });
  });

  it('answers 503 with the failing check named when the database is down', async () => {
    const { app } = await buildTestApp({ env: await tokens(), database: await pingOnly(down) });
    const res = await app.request('/api/v1.0/health/extended', { headers: { 'X-Auth-Token': 'admin-secret' } });
    expect(res.status).toBe(503);
    const body = await jsonOf(res);
    expect(body.status).toBe('Failure');
    expect(body.details.errorCount).toBe(1);
    expect(body.details.messageList[0]).toMatchObject({ name: 'database', error: true });
    expect(body.details.messageList[0].message).toContain('connection refused');
  });

  it('answers 401 with a challenge when no token is sent', async () => {
    const { app } = await buildTestApp({ env: await tokens() });
    const res = await app.request('/api/v1.0/health/extended');
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="drydock"');
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', status: 'Failure', code: 401, reason: 'Unauthorized' });
  });

  it('answers 403 to an authenticated caller the health_data policy refuses', async () => {
    const { app } = await buildTestApp({ env: await tokens() });
    const res = await app.request('/api/v1.0/health/extended', { headers: { Authorization: 'Bearer member-secret' } });
    expect(res.status).toBe(403);
    expect(await jsonOf(res)).toMatchObject({ code: 403, reason: 'Forbidden' });
  });

  it('follows a policy override that grants the rule to another role', async () => {
    const { app } = await buildTestApp({
      env: { ...(await tokens()), POLICY_DOCUMENT: '{"physical_provisioner:health_data": "role:member"}' },
    });
    const res = await app.request('/api/v1.0/health/extended', { headers: { 'X-Auth-Token': 'member-secret' } });
    expect(res.status).toBe(200);
  });
});
