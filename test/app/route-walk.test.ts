import { describe, expect, it } from 'vitest';
import { requirePolicy } from '../../src/middleware/policy.ts';
import { buildTestApp, digestOf } from '../helpers/app.ts';
import { mountedRoutes, samplePath, staleEntries, unguardedRoutes } from '../helpers/route-walk.ts';
import { PUBLIC_ROUTES } from './public-routes.ts';

/** Token mode: with AUTH_MODE=none every caller is an administrator and nothing would answer 401. */
const tokenApp = async () =>
  (await buildTestApp({ env: { AUTH_MODE: 'token', AUTH_TOKENS: `ops:admin:${await digestOf('walk-admin')}` } })).app;

describe('every route of the app', () => {
  it('answers 401 in the error envelope to a request without credentials, except the open routes of PUBLIC_ROUTES', async () => {
    const app = await tokenApp();
    const walked = mountedRoutes(app).map((r) => `${r.method} ${r.path}`);
    // The walk reads the app's own table: Keystone-guarded and node-key routes alike.
    expect(walked).toEqual(expect.arrayContaining(['GET /api/v1.0/designs/:id', 'POST /api/v1.0/nodefilter', 'POST /api/v1.0/bootactions/:id']));
    expect(await unguardedRoutes(app, PUBLIC_ROUTES)).toEqual([]);
  });

  it('lists only routes that are mounted, and its open routes do answer without credentials', async () => {
    const app = await tokenApp();
    expect(staleEntries(app, PUBLIC_ROUTES)).toEqual([]);
    for (const entry of PUBLIC_ROUTES.filter((e) => e.access === 'open')) {
      const res = await app.request(samplePath(entry.path), { method: entry.method });
      expect([200, 204], `${entry.method} ${entry.path}`).toContain(res.status);
    }
  });
});

describe('the route walk', () => {
  it('reports a route mounted without a guard, or one that answers before it authenticates', async () => {
    const app = await tokenApp();
    app.get('/api/v1.0/designs/:id/parts', (c) => c.json([]));
    app.delete('/api/v1.0/designs/:id', () => {
      throw new Error('no such design');
    });
    app.post('/api/v1.0/guarded', requirePolicy('physical_provisioner:ingest_data'), (c) => c.json({}));
    expect(await unguardedRoutes(app, PUBLIC_ROUTES)).toEqual([
      { method: 'GET', path: '/api/v1.0/designs/:id/parts', status: 200 },
      { method: 'DELETE', path: '/api/v1.0/designs/:id', status: 500 },
    ]);
  });

  it('does not let a node-key entry stand for an open route', async () => {
    const app = await tokenApp();
    app.get('/api/v1.0/bootdata/:hostname/extra', (c) => c.text('open'));
    const allow = [...PUBLIC_ROUTES, { method: 'GET' as const, path: '/api/v1.0/bootdata/:hostname/extra', access: 'node-key' as const, why: 'test' }];
    expect(await unguardedRoutes(app, allow)).toEqual([{ method: 'GET', path: '/api/v1.0/bootdata/:hostname/extra', status: 200 }]);
  });

  it('reports an allow-list entry that names no route', async () => {
    const app = await tokenApp();
    const gone = { method: 'GET' as const, path: '/api/v1.0/health/old', access: 'open' as const, why: 'renamed' };
    expect(staleEntries(app, [...PUBLIC_ROUTES, gone])).toEqual([gone]);
  });

  it('makes a sample path for each parameter form, and refuses one it cannot fill', () => {
    expect(samplePath('/api/v1.0/bootdata/:hostname/:type{files|units}')).toBe('/api/v1.0/bootdata/00000000-0000-4000-8000-000000000000/files');
    expect(() => samplePath('/x/:n{[0-9]+}')).toThrow(/extend samplePath/);
  });
});
