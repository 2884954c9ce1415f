import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSite } from '../../bench/site-generator.ts';
import { startOrigin, type Origin } from '../helpers/origin.ts';
import { bundleWorker, startWorker, type WorkerBundle, type WorkerInstance } from '../helpers/worker-bundle.ts';

// Site designs inside workerd: the YAML parser, schemas, compiler and rules
// must run where code generation from strings is refused, and a design must
// reach a Worker without a file system (design:// or http).

const TOKEN = 'workerd-design-admin';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const auth = { 'X-Auth-Token': TOKEN };

let bundle: WorkerBundle;
let worker: WorkerInstance;
let origin: Origin;

beforeAll(async () => {
  bundle = await bundleWorker();
  worker = await startWorker(bundle.scriptPath, { AUTH_MODE: 'token', AUTH_TOKENS: `ops:admin:${sha256(TOKEN)}`, LOG_LEVEL: 'warn' });
  origin = await startOrigin();
});

afterAll(async () => {
  await origin?.close();
  await worker?.dispose();
  await bundle?.cleanup();
});

async function store(yaml: string): Promise<string> {
  const res = await worker.fetch('/api/v1.0/designs', {
    method: 'POST',
    body: yaml,
    headers: { ...auth, 'Content-Type': 'application/x-yaml' },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { href: string }).href;
}

const post = (path: string, body: unknown) =>
  worker.fetch(path, { method: 'POST', body: JSON.stringify(body), headers: { ...auth, 'Content-Type': 'application/json' } });

describe('site designs in workerd', () => {
  it('stores a design in D1 and validates it by design://', async () => {
    const href = await store(generateSite(4).yaml);
    const res = await post('/api/v1.0/validatedesign', { rel: 'design', href, type: 'application/x-yaml' });
    const body = (await res.json()) as { status: string; details: { errorCount: number } };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ status: 'Success', details: { errorCount: 0 } });
  });

  it('reports rule failures with 400', async () => {
    const href = await store(generateSite(4).yaml.replace('address: 10.30.0.11', 'address: 192.168.7.7'));
    const res = await post('/api/v1.0/validatedesign', { href });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: { messageList: Array<{ name: string; error: boolean }> } };
    expect(body.details.messageList.some((m) => m.error && m.name === 'DD2002')).toBe(true);
  });

  it('fetches a design over http and filters its nodes', async () => {
    const site = generateSite(6);
    origin.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-yaml' });
      res.end(site.yaml);
    };
    const res = await post('/api/v1.0/nodefilter', {
      design_ref: `${origin.base}/site.yaml`,
      node_filter: { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_tags: ['masters'] }] },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(['node00000', 'node00003']);
  });

  it('answers file:// refs with 400 explaining that a Worker has no file system', async () => {
    const res = await post('/api/v1.0/validatedesign', { href: 'file:///etc/site.yaml' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/file system/);
  });

  it('refuses to store a YAML alias bomb (400)', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
      .concat('bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
      .join('\n');
    const res = await worker.fetch('/api/v1.0/designs', {
      method: 'POST',
      body: bomb,
      headers: { ...auth, 'Content-Type': 'application/x-yaml' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: { messageList: Array<{ message: string }> } };
    expect(body.details.messageList[0]?.message).toMatch(/alias/);
  });

  it('answers 400 naming DESIGN_MAX_DEPTH to deeply nested designs, posted or fetched, and the isolate keeps serving', async () => {
    const deep = await worker.fetch('/api/v1.0/designs', {
      method: 'POST',
      body: `a: ${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      headers: { ...auth, 'Content-Type': 'application/x-yaml' },
    });
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as { message: string }).message).toMatch(/deeper than 64 levels .*DESIGN_MAX_DEPTH/);

    let block = '';
    for (let i = 0; i < 3000; i++) block += `${' '.repeat(i)}- a:\n`;
    origin.handle = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-yaml' });
      res.end(block);
    };
    const fetched = await post('/api/v1.0/validatedesign', { href: `${origin.base}/deep.yaml` });
    expect(fetched.status).toBe(400);
    const body = (await fetched.json()) as { details: { messageList: Array<{ message: string }> } };
    expect(body.details.messageList[0]?.message).toMatch(/DESIGN_MAX_DEPTH/);

    expect((await worker.fetch('/api/v1.0/health')).status).toBe(204);
    const href = await store(generateSite(4).yaml);
    expect((await post('/api/v1.0/validatedesign', { href })).status).toBe(200);
  });
});
