import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleWorker,
  OFFLINE_ENV,
  ROOT,
  startWorker,
  type WorkerBundle,
  type WorkerInstance,
} from '../helpers/worker-bundle.ts';
import { signInOverHttp } from '../ui/ui-fixtures.ts';
import { expectStrictPage } from '../helpers/reference-page.ts';

// The real worker entry, bundled by esbuild and executed by workerd through
// Miniflare, against an in-memory D1 with the real migrations applied.

const ADMIN_TOKEN = 'workerd-admin-token';
const MEMBER_TOKEN = 'workerd-member-token';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const AUTH_TOKENS = `ops:admin:${sha256(ADMIN_TOKEN)},viewer:member:${sha256(MEMBER_TOKEN)}`;

function expectEnvelope(body: any, code: number, reason: string) {
  expect(body).toMatchObject({
    kind: 'Status',
    apiVersion: 'v1.0',
    metadata: {},
    status: 'Failure',
    reason,
    code,
  });
  expect(typeof body.message).toBe('string');
  expect(typeof body.retry).toBe('boolean');
  expect(body.details).toEqual({ errorCount: expect.any(Number), messageList: expect.any(Array) });
}

let bundle: WorkerBundle;
let worker: WorkerInstance;

beforeAll(async () => {
  bundle = await bundleWorker();
  worker = await startWorker(bundle.scriptPath, { AUTH_MODE: 'token', AUTH_TOKENS, LOG_LEVEL: 'warn' });
});

afterAll(async () => {
  await worker?.dispose();
  await bundle?.cleanup();
});

describe('worker in workerd (Miniflare, D1)', () => {
  it('has the migrations applied to D1', async () => {
    const db = await worker.mf.getD1Database('DB');
    const { results } = await db
      .prepare("select name from sqlite_master where type = 'table' and name = 'tasks'")
      .all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual(['tasks']);
  });

  it.each(['/versions', '/api/versions'])('GET %s lists v1.0 without auth', async (path) => {
    const res = await worker.fetch(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ 'v1.0': { path: '/api/v1.0', status: 'stable' } });
  });

  it('GET /api/v1.0/health answers 204 with no body', async () => {
    const res = await worker.fetch('/api/v1.0/health');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('extended health without a token is 401 with WWW-Authenticate', async () => {
    const res = await worker.fetch('/api/v1.0/health/extended');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeTruthy();
    expectEnvelope(await res.json(), 401, 'Unauthorized');
  });

  it('extended health with an unknown token is 401', async () => {
    const res = await worker.fetch('/api/v1.0/health/extended', { headers: { 'X-Auth-Token': 'nope' } });
    expect(res.status).toBe(401);
  });

  it('extended health with a member token is 403', async () => {
    const res = await worker.fetch('/api/v1.0/health/extended', { headers: { 'X-Auth-Token': MEMBER_TOKEN } });
    expect(res.status).toBe(403);
    expectEnvelope(await res.json(), 403, 'Forbidden');
  });

  it.each([
    ['X-Auth-Token', ADMIN_TOKEN],
    ['Authorization', `Bearer ${ADMIN_TOKEN}`],
  ])('extended health with an admin token in %s is 200 and reports D1 answering and taking writes', async (header, value) => {
    const res = await worker.fetch('/api/v1.0/health/extended', { headers: { [header]: value } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ kind: 'Status', status: 'Success', reason: 'HealthCheck', code: 200 });
    expect(body.details.errorCount).toBe(0);
    const db = body.details.messageList.find((m: any) => m.name === 'database');
    expect(db).toMatchObject({ error: false, message: 'd1 database answers and takes writes' });
  });

  it('an unknown path is a 404 Status envelope', async () => {
    const res = await worker.fetch('/api/v1.0/nowhere');
    expect(res.status).toBe(404);
    expectEnvelope(await res.json(), 404, 'NotFound');
  });

  it('a known path with the wrong method is 405 with Allow', async () => {
    const res = await worker.fetch('/api/v1.0/health', { method: 'DELETE' });
    expect(res.status).toBe(405);
    const allow = (res.headers.get('allow') ?? '').split(/,\s*/);
    expect(allow).toEqual(expect.arrayContaining(['GET', 'HEAD', 'OPTIONS']));
    expect(allow).not.toContain('DELETE');
    expectEnvelope(await res.json(), 405, 'MethodNotAllowed');
  });

  it('echoes X-Context-Marker on success and on errors, and makes one when absent', async () => {
    const marker = 'a3c1b2d4-0000-4000-8000-123456789abc';
    for (const path of ['/versions', '/api/v1.0/health', '/api/v1.0/nowhere', '/api/v1.0/health/extended']) {
      const res = await worker.fetch(path, { headers: { 'X-Context-Marker': marker } });
      await res.arrayBuffer();
      expect(res.headers.get('x-context-marker'), path).toBe(marker);
    }
    const res = await worker.fetch('/versions');
    await res.arrayBuffer();
    expect(res.headers.get('x-context-marker')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the API document and reference page in workerd', () => {
  it('GET /api/v1.0/openapi.json describes the routes without a token', async () => {
    const res = await worker.fetch('/api/v1.0/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1.0/tasks'].post['x-policy']).toContain('physical_provisioner:create_task');
    expect(doc.paths['/api/v1.0/tasks'].post.requestBody.content['application/json'].schema.required).toEqual(['action', 'design_ref']);
  });

  it('GET /api/v1.0/docs serves Swagger UI from the bundle, under a strict CSP', async () => {
    const page = await worker.fetch('/api/v1.0/docs');
    expect(page.status).toBe(200);
    expectStrictPage(await page.text(), page.headers);
    for (const [path, file] of [
      ['/api/v1.0/docs/swagger-ui-bundle.js', 'swagger-ui-bundle.js'],
      ['/api/v1.0/docs/swagger-ui.css', 'swagger-ui.css'],
    ] as const) {
      const res = await worker.fetch(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(await res.text()).toBe(await readFile(join(ROOT, 'node_modules/swagger-ui-dist', file), 'utf8'));
      const again = await worker.fetch(path, { headers: { 'If-None-Match': res.headers.get('etag')! } });
      expect(again.status).toBe(304);
      await again.arrayBuffer();
    }
  });
});

describe('worker with a bad configuration', () => {
  let bad: WorkerInstance;
  beforeAll(async () => {
    bad = await startWorker(bundle.scriptPath, { AUTH_MODE: 'bogus' }, { migrate: false });
  });
  afterAll(async () => {
    await bad?.dispose();
  });

  it.each(['/api/v1.0/health', '/versions'])('GET %s is a 500 envelope naming AUTH_MODE', async (path) => {
    const res = await bad.fetch(path);
    expect(res.status).toBe(500);
    const body = (await res.json()) as any;
    expectEnvelope(body, 500, 'InternalError');
    expect(body.message).toContain('AUTH_MODE');
  });

  it('logs the configuration error once per isolate, as one JSON line', async () => {
    const lines = () => bad.output.filter((l) => l.includes('invalid configuration: AUTH_MODE'));
    await expect.poll(() => lines().length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(lines()).toHaveLength(1);
    expect(JSON.parse(lines()[0]!)).toMatchObject({ level: 'error' });
  });

  it('echoes X-Context-Marker on the config-error 500', async () => {
    const res = await bad.fetch('/versions', { headers: { 'X-Context-Marker': 'cfg-err-1' } });
    await res.arrayBuffer();
    expect(res.headers.get('x-context-marker')).toBe('cfg-err-1');
  });
});

describe('wrangler deploy --dry-run', () => {
  it('bundles the project with wrangler.toml, offline', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'drydock-wrangler-'));
    try {
      const result = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
          cwd: ROOT,
          env: { ...process.env, ...OFFLINE_ENV, CI: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, out }));
      });
      expect(result.code, result.out).toBe(0);
      expect(result.out).toContain('--dry-run: exiting now.');
      expect(result.out).toMatch(/env\.DB \(drydock\)\s+D1 Database/);
      expect(result.out).toMatch(/env\.TASK_QUEUE \(drydock-tasks\)\s+Queue/);
      const files = await readdir(outdir);
      expect(files).toContain('worker.js');
      expect((await stat(join(outdir, 'worker.js'))).size).toBeGreaterThan(1000);
      // wrangler.toml's [[rules]]: Swagger UI's files travel as Text modules beside the code (without them, as code and a worker.css).
      expect(files.filter((f) => /swagger-ui(-bundle\.js|\.css)$/.test(f))).toHaveLength(2);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the web view in workerd', () => {
  it('signs in through the form and renders the tasks page under its Content-Security-Policy', async () => {
    const session = await signInOverHttp(worker.url, ADMIN_TOKEN);
    const tasks = await worker.fetch('/ui/tasks', { headers: { Cookie: session } });
    expect(tasks.status).toBe(200);
    expect(tasks.headers.get('content-security-policy')).toMatch(/^default-src 'self'; script-src 'self'; style-src 'self'/);
    const html = await tasks.text();
    expect(html).toContain('<h1>Tasks</h1>');
    expect(html).not.toContain(ADMIN_TOKEN);
    expect((await worker.fetch('/ui/static/app.js')).headers.get('content-type')).toMatch(/^text\/javascript/);
  });
});
