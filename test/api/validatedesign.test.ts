import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers/app.ts';
import { closedPort, startOrigin, type Origin } from '../helpers/origin.ts';
import { designApp, postJson, postYaml, READER, smallSite } from './design-fixtures.ts';

let origin: Origin;
let served: { status: number; body: string } = { status: 200, body: '' };

beforeAll(async () => {
  origin = await startOrigin();
  origin.handle = (_req, res) => {
    res.writeHead(served.status, { 'Content-Type': 'application/x-yaml' });
    res.end(served.body);
  };
});
afterAll(() => origin.close());

const validate = (href: string) => postJson({ rel: 'design', href, type: 'application/x-yaml' });

const doc = (schema: string, name: string, data: string) =>
  `---\nschema: ${schema}\nmetadata:\n  schema: metadata/Document/v1\n  name: ${name}\ndata:\n${data}`;

async function storedRef(app: Awaited<ReturnType<typeof designApp>>['app'], yaml: string): Promise<string> {
  const res = await app.request('/api/v1.0/designs', postYaml(yaml));
  expect(res.status).toBe(201);
  return (await jsonOf(res)).href;
}

describe('POST /api/v1.0/validatedesign', () => {
  it('answers 200 with a Success status for a valid stored design', async () => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/validatedesign', validate(await storedRef(app, smallSite().yaml)));
    const body = await jsonOf(res);
    expect(body.details.messageList.filter((m: { error: boolean }) => m.error)).toEqual([]);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1.0',
      status: 'Success',
      message: 'Site design passed validation',
      code: 200,
      details: { errorCount: 0 },
    });
    for (const m of body.details.messageList) {
      expect(m).toMatchObject({ kind: 'ValidationMessage', error: false, level: 'Info' });
    }
  });

  it("gives each message exactly the fields of Drydock's ValidationMessage.to_dict, levels as its MessageLevels", async () => {
    const { app } = await designApp();
    // A rule error, a rule success (Info) and a document warning (a label that is not a string).
    const oddRack = '---\nschema: drydock/Rack/v1\nmetadata:\n  schema: metadata/Document/v1\n  name: odd\n  labels: {odd: [1]}\ndata: {}\n';
    const yaml = smallSite().yaml.replace('address: 10.30.0.11', 'address: 192.168.7.7').replace(/\.\.\.\n$/, `${oddRack}...\n`);
    const res = await app.request('/api/v1.0/validatedesign', validate(await storedRef(app, yaml)));
    expect(res.status).toBe(400);
    const list = (await jsonOf(res)).details.messageList as Array<Record<string, unknown>>;
    for (const m of list) {
      expect(Object.keys(m).sort()).toEqual(['diagnostic', 'documents', 'error', 'kind', 'level', 'message', 'name', 'ts']);
      expect(['Info', 'Warning', 'Error']).toContain(m.level);
      expect(m.error).toBe(m.level === 'Error');
      expect(new Date(m.ts as string).toISOString()).toBe(m.ts);
    }
    expect(new Set(list.map((m) => m.level))).toEqual(new Set(['Info', 'Warning', 'Error']));
  });

  it('validates a design served over http from a design_ref', async () => {
    const { app } = await designApp();
    served = { status: 200, body: smallSite().yaml };
    const res = await app.request('/api/v1.0/validatedesign', validate(`${origin.base}/site.yaml`));
    expect(res.status).toBe(200);
  });

  it('answers 400 with every rule failure in Drydock form', async () => {
    const { app } = await designApp();
    const broken = smallSite().yaml.replace('address: 10.30.0.11', 'address: 192.168.7.7');
    const res = await app.request('/api/v1.0/validatedesign', validate(await storedRef(app, broken)));
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body).toMatchObject({ status: 'Failure', message: 'Site design failed validation.', code: 400 });
    const errors = body.details.messageList.filter((m: { error: boolean }) => m.error);
    expect(body.details.errorCount).toBe(errors.length);
    const locality = errors.find((m: { name: string }) => m.name === 'DD2002');
    expect(locality).toMatchObject({ level: 'Error', kind: 'ValidationMessage' });
    expect(locality.message).toContain('192.168.7.7');
    expect(locality.documents).toContainEqual({ schema: 'drydock/BaremetalNode/v1', name: 'node00000' });
  });

  it('gives the same answer on every call, and sees a changed document behind the same ref', async () => {
    const { app } = await designApp();
    served = { status: 200, body: smallSite().yaml };
    const ref = `${origin.base}/changing.yaml`;
    const first = await jsonOf(await app.request('/api/v1.0/validatedesign', validate(ref)));
    const second = await jsonOf(await app.request('/api/v1.0/validatedesign', validate(ref)));
    // Drydock's cached result gains the same messages again on every call. (`ts` is when each answer was made.)
    const withoutTs = (list: Array<Record<string, unknown>>) => list.map(({ ts: _ts, ...m }) => m);
    expect(withoutTs(second.details.messageList)).toEqual(withoutTs(first.details.messageList));
    served = { status: 200, body: smallSite().yaml.replace('address: 10.30.0.11', 'address: 192.168.7.7') };
    const third = await app.request('/api/v1.0/validatedesign', validate(ref));
    expect(third.status).toBe(400);
  });

  it('answers 400 to an empty body and a missing href', async () => {
    const { app } = await designApp();
    const empty = await app.request('/api/v1.0/validatedesign', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Auth-Token': 'admin-token-for-design-tests' },
    });
    expect(empty.status).toBe(400);
    expect((await jsonOf(empty)).message).toBe('Request body must not be empty for validation.');
    const noHref = await app.request('/api/v1.0/validatedesign', postJson({ rel: 'design' }));
    expect(noHref.status).toBe(400);
    expect((await jsonOf(noHref)).message).toBe('The "href" key must be provided in the request body.');
  });

  it('refuses an href over 2048 characters, as POST /tasks refuses such a design_ref', async () => {
    const { app } = await designApp();
    const long = `${origin.base}/site.yaml?${'p'.repeat(2048)}`.slice(0, 2049);
    const res = await app.request('/api/v1.0/validatedesign', validate(long));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toBe('href must be at most 2048 characters');
    served = { status: 200, body: smallSite().yaml };
    const atLimit = await app.request('/api/v1.0/validatedesign', validate(long.slice(0, 2048)));
    expect(atLimit.status).toBe(200);
  });

  it.each([
    ['an unsupported scheme', () => 'gopher://example/site.yaml', /scheme/i],
    ['an unknown stored design', () => 'design://00000000-0000-4000-8000-000000000000', /no stored design has that id/],
  ])('answers 400 naming %s', async (_what, ref, pattern) => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/validatedesign', validate(ref()));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(pattern);
  });

  it('answers 400 naming an unreachable host', async () => {
    const { app } = await designApp({ DESIGN_FETCH_RETRIES: '0' });
    const res = await app.request('/api/v1.0/validatedesign', validate(`http://127.0.0.1:${await closedPort()}/x.yaml`));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/127\.0\.0\.1/);
  });

  it.each([404, 500])('answers 400 naming an upstream %i', async (status) => {
    const { app } = await designApp({ DESIGN_FETCH_RETRIES: '0' });
    served = { status, body: 'nope' };
    const res = await app.request('/api/v1.0/validatedesign', validate(`${origin.base}/missing.yaml`));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toContain(String(status));
  });

  it('answers 400 to a document over the size limit (20 MiB against the default 16 MiB)', async () => {
    const { app } = await designApp();
    served = { status: 200, body: `# ${'x'.repeat(20 * 1024 * 1024)}\n` };
    const res = await app.request('/api/v1.0/validatedesign', validate(`${origin.base}/huge.yaml`));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/limit/);
  });

  const invalid: Array<[string, string, RegExp]> = [
    ['non-YAML bytes', '\u0000\u0001\u0002 : : [\n}', /line/i],
    [
      'a YAML alias bomb',
      ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n'),
      /alias/i,
    ],
    ['an unknown drydock kind', doc('drydock/Frobnicator/v1', 'f1', '  a: 1\n'), /Frobnicator/],
    ['duplicate names', smallSite().yaml + doc('drydock/Network/v1', 'pxe', '  cidr: 10.99.0.0/16\n'), /duplicate/i],
    [
      'an inheritance cycle',
      smallSite().yaml +
        doc('drydock/HostProfile/v1', 'loop-a', '  host_profile: loop-b\n') +
        doc('drydock/HostProfile/v1', 'loop-b', '  host_profile: loop-a\n'),
      /cycle|loop/i,
    ],
  ];

  it.each(invalid)('answers 400 naming %s', async (_what, yaml, pattern) => {
    const { app } = await designApp();
    served = { status: 200, body: yaml };
    const res = await app.request('/api/v1.0/validatedesign', validate(`${origin.base}/bad.yaml`));
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.details.errorCount).toBeGreaterThan(0);
    const text = body.details.messageList.map((m: { message: string }) => m.message).join('\n');
    expect(text).toMatch(pattern);
  });

  it('applies the validate_site_design policy', async () => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/validatedesign', postJson({ href: 'design://x' }, READER));
    expect(res.status).toBe(403);
  });
});
