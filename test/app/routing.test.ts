import { describe, expect, it } from 'vitest';
import { buildTestApp, jsonOf } from '../helpers/app.ts';

describe('unknown paths and methods', () => {
  it('answers an unknown path with 404 in the Status envelope', async () => {
    const { app } = await buildTestApp();
    const res = await app.request('/api/v1.0/no-such-thing');
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toEqual({
      kind: 'Status',
      apiVersion: 'v1.0',
      metadata: {},
      status: 'Failure',
      message: 'No resource at /api/v1.0/no-such-thing',
      reason: 'NotFound',
      details: { errorCount: 0, messageList: [] },
      code: 404,
      retry: false,
    });
  });

  it('answers a wrong method on a known path with 405 and the Allow list', async () => {
    const { app } = await buildTestApp();
    const res = await app.request('/api/v1.0/health', { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
    expect(await jsonOf(res)).toMatchObject({ reason: 'MethodNotAllowed', code: 405 });
  });

  it('answers 405 before authentication, so it reveals only what OPTIONS would', async () => {
    const { app } = await buildTestApp({ env: { AUTH_MODE: 'token' } });
    const res = await app.request('/api/v1.0/health/extended', { method: 'DELETE' });
    expect(res.status).toBe(405);
  });

  it('answers OPTIONS on a known path with 200 and Allow, as Drydock', async () => {
    const { app } = await buildTestApp();
    const res = await app.request('/versions', { method: 'OPTIONS' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('answers OPTIONS on an unknown path with 404', async () => {
    const { app } = await buildTestApp();
    expect((await app.request('/nowhere', { method: 'OPTIONS' })).status).toBe(404);
  });

  it('serves HEAD for GET routes without a body', async () => {
    const { app } = await buildTestApp();
    const res = await app.request('/versions', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('treats a trailing slash as a different, unknown path', async () => {
    const { app } = await buildTestApp();
    expect((await app.request('/api/v1.0/health/')).status).toBe(404);
  });
});
