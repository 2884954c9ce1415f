import { describe, expect, it } from 'vitest';
import { buildTestApp, jsonOf } from '../helpers/app.ts';

describe('GET /versions', () => {
  it.each(['/versions', '/api/versions'])('lists v1.0 as stable at %s without authentication', async (path) => {
    const { app } = await buildTestApp({ env: { AUTH_MODE: 'token' } });
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await jsonOf(res)).toEqual({ 'v1.0': { path: '/api/v1.0', status: 'stable' } });
  });
});
