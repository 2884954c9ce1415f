import { describe, expect, it } from 'vitest';
import { openApiPath } from '../../src/http/openapi/document.ts';
import { apiOperations } from '../../src/routes/api-operations.ts';
import { TOP_LEVEL_ACTIONS } from '../../src/services/tasks/index.ts';
import { buildTestApp, digestOf, jsonOf } from '../helpers/app.ts';
import { mountedRoutes } from '../helpers/route-walk.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const tokenApp = async () =>
  (await buildTestApp({ env: { AUTH_MODE: 'token', AUTH_TOKENS: `ops:admin:${await digestOf('doc-admin')}` } })).app;

async function documentOf(app: Awaited<ReturnType<typeof tokenApp>>): Promise<Json> {
  const res = await app.request('/api/v1.0/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return jsonOf(res);
}

/** Every `$ref` in the document, with where it stands. */
function refsOf(node: Json, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => refsOf(item, `${at}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' ? [{ ref: v as string, at }] : refsOf(v, `${at}/${k}`)));
}

function resolve(doc: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<Json>((node, key) => (node === undefined ? undefined : node[key]), doc);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('GET /api/v1.0/openapi.json', () => {
  it('describes every route the app mounted, with its method, and answers without a token', async () => {
    const app = await tokenApp();
    const doc = await documentOf(app);
    const routes = mountedRoutes(app).filter((r) => !r.path.startsWith('/ui'));
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const operation = doc.paths[openApiPath(route.path).path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation['x-undescribed'], `${route.method} ${route.path} has no entry in routes/api-operations.ts`).toBeUndefined();
    }
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m} ${path}`));
    expect(listed).toHaveLength(routes.length);
  });

  it('has no entry for a route that is not mounted', async () => {
    const app = await tokenApp();
    const mounted = new Set(mountedRoutes(app).map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(apiOperations(25)).filter((key) => !mounted.has(key))).toEqual([]);
  });

  it('lists a route mounted without an entry as undescribed rather than leaving it out', async () => {
    const app = await tokenApp();
    app.get('/api/v1.0/designs/:id/parts', (c) => c.json([]));
    const doc = await documentOf(app);
    expect(doc.paths['/api/v1.0/designs/{id}/parts'].get['x-undescribed']).toBe(true);
  });

  it('is an OpenAPI 3.1 document whose every $ref resolves', async () => {
    const doc = await documentOf(await tokenApp());
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: expect.any(String), version: 'v1.0' });
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const { ref, at } of refs) expect(resolve(doc, ref), `${ref} at ${at}`).toBeDefined();
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const [path, ops] of Object.entries<Json>(doc.paths)) {
      expect(path).toMatch(/^\//);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries<Json>(ops)) {
        const where = `${method} ${path}`;
        expect(METHODS, where).toContain(method);
        expect(op.summary, where).toEqual(expect.any(String));
        expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
        for (const [status, response] of Object.entries<Json>(op.responses)) {
          expect(status, where).toMatch(/^(default|[1-5]\d\d)$/);
          expect(response.description, `${where} ${status}`).toEqual(expect.any(String));
        }
        const params: Json[] = op.parameters ?? [];
        for (const p of params) {
          expect(['path', 'query', 'header', 'cookie'], where).toContain(p.in);
          expect(p.schema, `${where} ${p.name}`).toEqual(expect.any(Object));
        }
        expect(params.filter((p) => p.in === 'path').map((p) => p.name).sort(), where).toEqual(templated);
        expect(params.filter((p) => p.in === 'path').every((p) => p.required === true), where).toBe(true);
        for (const requirement of op.security ?? []) expect(schemes, where).toEqual(expect.arrayContaining(Object.keys(requirement)));
      }
    }
  });

  it('takes request bodies and query parameters from the schemas the routes validate with, and names the policy rules', async () => {
    const doc = await documentOf(await tokenApp());
    const createTask = doc.paths['/api/v1.0/tasks'].post;
    const body = createTask.requestBody.content['application/json'].schema;
    expect(body.properties.action.enum).toEqual([...TOP_LEVEL_ACTIONS]);
    expect(body.required).toEqual(['action', 'design_ref']);
    expect(body.properties.node_filter.anyOf).toContainEqual({ type: 'null' });
    expect(createTask['x-policy']).toBe('physical_provisioner:create_task; physical_provisioner:<action>');
    expect(createTask.security).toEqual([{ keystone: [] }]);

    const listTasks = doc.paths['/api/v1.0/tasks'].get;
    expect(listTasks.parameters.find((p: Json) => p.name === 'limit')).toEqual({
      name: 'limit',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    });
    expect(doc.paths['/api/v1.0/designs'].get['x-policy']).toBe('physical_provisioner:read_data');
    expect(doc.paths['/api/v1.0/agents/lease'].post.security).toEqual([{ agentToken: [] }]);
    expect(doc.paths['/api/v1.0/agents/lease'].post.requestBody.content['application/json'].schema.properties.wait_seconds.maximum).toBe(25);
    expect(doc.paths['/api/v1.0/bootactions/{id}'].post.security).toEqual([{ bootactionKey: [] }]);
    expect(doc.paths['/api/v1.0/health'].get.security).toEqual([]);
    expect(doc.components.securitySchemes.keystone).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' });
    expect(doc.components.securitySchemes.agentToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
