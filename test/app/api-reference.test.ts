import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { buildTestApp } from '../helpers/app.ts';
import { expectStrictPage } from '../helpers/reference-page.ts';

const swaggerFile = (name: string) => readFile(createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`), 'utf8');

describe('GET /api/v1.0/docs', () => {
  it('serves the Swagger UI page without a token, under a strict Content-Security-Policy', async () => {
    const { app } = await buildTestApp({ env: { AUTH_MODE: 'token' } });
    const res = await app.request('/api/v1.0/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expectStrictPage(await res.text(), res.headers);
    const init = await app.request('/api/v1.0/docs/init.js');
    expect(init.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await init.text()).toMatch(/SwaggerUIBundle\(\{[\s\S]*'openapi\.json'/);
  });

  it('serves Swagger UI from the installed swagger-ui-dist, cacheable, and 304 for its ETag', async () => {
    const { app } = await buildTestApp({ env: { AUTH_MODE: 'token' } });
    for (const [path, file, type] of [
      ['/api/v1.0/docs/swagger-ui-bundle.js', 'swagger-ui-bundle.js', /^text\/javascript/],
      ['/api/v1.0/docs/swagger-ui.css', 'swagger-ui.css', /^text\/css/],
    ] as const) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
      expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(await res.text()).toBe(await swaggerFile(file));
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      const again = await app.request(path, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    }
  });

  it('answers 404 in the envelope for the assets where the runtime gave none', async () => {
    const { services } = await buildTestApp();
    const app = createApp({ ...services, referenceAssets: null });
    const res = await app.request('/api/v1.0/docs/swagger-ui.css');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});
