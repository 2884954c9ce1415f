import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { AppEnv } from '../../src/http/env.ts';
import { requestContext } from '../../src/middleware/request-context.ts';
import { sha256Hex } from '../../src/core/digest.ts';
import { API, bootActionLab, keyed } from '../api/bootaction-fixtures.ts';
import { buildTestApp, digestOf } from '../helpers/app.ts';

describe('request ids and logs', () => {
  it('echoes a caller X-Context-Marker and puts it on the request log line', async () => {
    const { app, logs } = await buildTestApp();
    const marker = '5c6cbd1c-3b9e-4a3e-9d2f-5d2a1f0b9a77';
    const res = await app.request('/versions', { headers: { 'X-Context-Marker': marker } });
    expect(res.headers.get('X-Context-Marker')).toBe(marker);
    expect(res.headers.get('X-Drydock-Req')).toBe(marker);
    const line = logs.find((l) => l.record.msg === 'request');
    expect(line?.record).toMatchObject({ req_id: marker, method: 'GET', path: '/versions', status: 200 });
  });

  it('generates a UUID when no marker, or an unsafe one, is sent', async () => {
    const { app } = await buildTestApp();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const plain = await app.request('/versions');
    expect(plain.headers.get('X-Context-Marker')).toMatch(uuid);
    const forged = await app.request('/versions', { headers: { 'X-Context-Marker': 'x" {"level":"error" <script>' } });
    expect(forged.headers.get('X-Context-Marker')).toMatch(uuid);
  });

  it("builds one service context per request, with the request's id, end user and logger", async () => {
    const { services, logs } = await buildTestApp();
    const app = new Hono<AppEnv>();
    app.use('*', requestContext(services));
    const seen: unknown[] = [];
    app.use('*', async (c, next) => {
      seen.push(c.get('ctx'));
      await next();
    });
    app.get('/who', (c) => {
      const ctx = c.get('ctx');
      seen.push(ctx);
      ctx.log.info('asked');
      return c.json({ requestId: ctx.requestId, endUser: ctx.endUser, db: ctx.db === services.database.db });
    });
    const res = await app.request('/who', { headers: { 'X-Context-Marker': 'req-7', 'X-End-User': 'alice' } });
    expect(await res.json()).toEqual({ requestId: 'req-7', endUser: 'alice', db: true });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(logs.find((l) => l.record.msg === 'asked')?.record).toMatchObject({ req_id: 'req-7', end_user: 'alice' });
    await app.request('/who');
    expect(seen[2]).not.toBe(seen[0]);
  });

  it('puts the request id on error responses too', async () => {
    const { app } = await buildTestApp();
    const res = await app.request('/nowhere', { headers: { 'X-Context-Marker': 'abc-123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('X-Context-Marker')).toBe('abc-123');
  });

  it('puts the request id on tarballs, 304s, refused keys and responses a handler builds itself, bodies intact', async () => {
    const { app, keys, services } = await bootActionLab();
    const files = `${API}/bootdata/node00001/files`;
    const key = keys.get('node00001')!.nodeKey;
    const first = await app.request(files, keyed(key, { 'X-Context-Marker': 'm-1' }));
    const bytes = new Uint8Array(await first.arrayBuffer());
    expect([first.status, first.headers.get('X-Drydock-Req'), first.headers.get('Content-Type')]).toEqual([200, 'm-1', 'application/gzip']);
    // The body is the gzip the ETag names.
    expect(bytes.slice(0, 2)).toEqual(new Uint8Array([0x1f, 0x8b]));
    expect(first.headers.get('ETag')).toBe(`"${await sha256Hex(bytes)}"`);
    const again = await app.request(files, keyed(key, { 'X-Context-Marker': 'm-2', 'If-None-Match': first.headers.get('ETag')! }));
    expect([again.status, again.headers.get('X-Context-Marker')]).toEqual([304, 'm-2']);
    const refused = await app.request(files, keyed('ab'.repeat(32), { 'X-Context-Marker': 'm-3' }));
    expect([refused.status, refused.headers.get('X-Drydock-Req'), ((await refused.json()) as { code: number }).code]).toEqual([403, 'm-3', 403]);
    const rawApp = new Hono<AppEnv>().use(requestContext(services)).get('/raw', () => new Response('raw'));
    const raw = await rawApp.request('/raw', { headers: { 'X-Context-Marker': 'm-4' } });
    expect([await raw.text(), raw.headers.get('X-Context-Marker'), raw.headers.get('X-Drydock-Req')]).toEqual(['raw', 'm-4', 'm-4']);
  });

  it('records X-End-User and the authenticated user, and never the token, in the log', async () => {
    const token = 'very-secret-token-value';
    const { app, logs } = await buildTestApp({
      env: { AUTH_MODE: 'token', AUTH_TOKENS: `ops:admin:${await digestOf(token)}` },
    });
    await app.request('/api/v1.0/health/extended', { headers: { 'X-Auth-Token': token, 'X-End-User': 'jane' } });
    await app.request('/api/v1.0/health/extended', { headers: { 'X-Auth-Token': `${token}-wrong` } });
    const line = logs.find((l) => l.record.msg === 'request');
    expect(line?.record).toMatchObject({ end_user: 'jane', user: 'ops', status: 200 });
    expect(logs.map((l) => l.line).join('\n')).not.toContain(token);
  });

  it('writes every log line as one JSON object carrying the request id', async () => {
    const { app, logs } = await buildTestApp();
    logs.length = 0; // start-up lines (the AUTH_MODE=none warning) belong to no request
    await app.request('/versions', { headers: { 'X-Context-Marker': 'm-1' } });
    expect(logs.length).toBeGreaterThan(0);
    for (const l of logs) {
      expect(l.line.includes('\n')).toBe(false);
      expect(l.record.req_id).toBe('m-1');
      expect(typeof l.record.ts).toBe('string');
    }
  });
});
