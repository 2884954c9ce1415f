import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers/app.ts';
import { startOrigin, type Origin } from '../helpers/origin.ts';
import { designApp, postJson, postYaml, smallSite } from './design-fixtures.ts';

/** The reproductions of issue 8 (defects 1, 3 and 4): documents that crashed, stalled or were quoted. */
const deepFlow = (depth: number) => `a: ${'['.repeat(depth)}${']'.repeat(depth)}`;
function deepBlock(depth: number): string {
  let text = '';
  for (let i = 0; i < depth; i++) text += `${' '.repeat(i)}- a:\n`;
  return text;
}
/** One anchored list and many aliases of it: the `yaml` package resolves each alias by walking the document before it. */
function quadraticAliases(bytes: number): string {
  let text = `list: &a [${Array.from({ length: 50 }, (_, i) => `v${i}`).join(', ')}]\nrefs:\n`;
  while (text.length < bytes) text += '- *a\n';
  return text;
}

const SECRET = 'ddt_5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0ffee';

let origin: Origin;
let served = '';
beforeAll(async () => {
  origin = await startOrigin();
  origin.handle = (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/x-yaml' });
    res.end(served);
  };
});
afterAll(() => origin.close());

const validate = (href: string) => postJson({ rel: 'design', href, type: 'application/x-yaml' });

describe('design limits', () => {
  it('answers 400 to 50,000 nested [ in POST /designs, naming DESIGN_MAX_DEPTH, without crashing', async () => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/designs', postYaml(deepFlow(50_000)));
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body).toMatchObject({ kind: 'Status', code: 400 });
    expect(body.message).toMatch(/DESIGN_MAX_DEPTH/);
    expect(body.message).toMatch(/deeper than 64 levels/);
  });

  it('answers 400 to 3,000 levels of block mappings, naming DESIGN_MAX_DEPTH', async () => {
    const { app } = await designApp();
    let text = '';
    for (let i = 0; i < 3000; i++) text += `${' '.repeat(i)}k${i}:\n`;
    const res = await app.request('/api/v1.0/designs', postYaml(`${text}${' '.repeat(3000)}x\n`));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/nests deeper than 64 levels at line 65 \(DESIGN_MAX_DEPTH\)/);
  });

  it('answers 400 to a 3,000-level block sequence (4.5 MB), naming DESIGN_MAX_DEPTH', async () => {
    const { app } = await designApp();
    const text = deepBlock(3000);
    expect(text.length).toBeGreaterThan(4_000_000);
    const res = await app.request('/api/v1.0/designs', postYaml(text));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/nests deeper than 64 levels at line \d+ \(DESIGN_MAX_DEPTH\)/);
  });

  it('answers 400 to a 400 KB document of aliases, naming DESIGN_MAX_ALIASES', async () => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/designs', postYaml(quadraticAliases(400_000)));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/more than 100 alias references .*\(DESIGN_MAX_ALIASES\)/);
  });

  it('reports a limit as a validation message in /validatedesign', async () => {
    const { app } = await designApp();
    served = deepFlow(5000);
    const res = await app.request('/api/v1.0/validatedesign', validate(`http://${origin.host}/deep.yaml`));
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.details.messageList).toEqual([
      expect.objectContaining({ name: 'DD000', error: true, message: expect.stringMatching(/DESIGN_MAX_DEPTH/) }),
    ]);
  });

  it('answers 400 in the envelope naming the limit when a task needs the design', async () => {
    const { app } = await designApp();
    served = quadraticAliases(10_000);
    const res = await app.request('/api/v1.0/nodefilter', postJson({ design_ref: `http://${origin.host}/aliases.yaml` }));
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(body.message).toMatch(/could not be loaded: .*DESIGN_MAX_ALIASES/);
    expect(body.details.messageList[0]).toMatchObject({ limit: 'DESIGN_MAX_ALIASES' });
  });

  it('applies the configured limits: DESIGN_MAX_DEPTH, DESIGN_MAX_NODES', async () => {
    const { app } = await designApp({ DESIGN_MAX_DEPTH: '8', DESIGN_MAX_NODES: '1000' });
    const nine = await app.request('/api/v1.0/designs', postYaml(`a: ${'['.repeat(9)}${']'.repeat(9)}`));
    expect((await jsonOf(nine)).message).toMatch(/deeper than 8 levels/);
    const eight = await app.request('/api/v1.0/designs', postYaml(`a: ${'['.repeat(7)}${']'.repeat(7)}`));
    expect(eight.status).toBe(201);
    const many = await app.request('/api/v1.0/designs', postJson(Array.from({ length: 600 }, (_, i) => ({ n: i }))));
    expect(many.status).toBe(400);
    expect((await jsonOf(many)).message).toMatch(/more than 1000 nodes .*\(DESIGN_MAX_NODES\)/);
  });

  it('stores and validates a real site under the default limits', async () => {
    const { app } = await designApp();
    const stored = await jsonOf(await app.request('/api/v1.0/designs', postYaml(smallSite().yaml)));
    const res = await app.request('/api/v1.0/validatedesign', validate(stored.href));
    expect(res.status).toBe(200);
  });
});

describe('messages about text that is not a design never quote it', () => {
  const notYaml = [
    ['a token file', `${SECRET}\n`],
    ['a key file', `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`],
    ['an environment block', `HOME=/root\0TOKEN=${SECRET}\0`],
    ['broken flow YAML', `${SECRET}: {[}\n`],
    ['an unknown alias', `a: *${SECRET}\n`],
    ['an unknown tag', `a: !${SECRET} x\n`],
    ['a bad escape', `a: "\\q${SECRET}"\n`],
  ];

  it.each(notYaml)('fetched: %s', async (_name, text) => {
    const { app } = await designApp();
    served = text;
    const res = await app.request('/api/v1.0/validatedesign', validate(`http://${origin.host}/secret`));
    const answer = await res.text();
    expect(answer).not.toContain(SECRET.slice(4, 20));
    // An unknown tag is only a warning: the document is read, as Drydock's PyYAML would not.
    if (res.status === 400) expect(answer).toMatch(/line \d+|not a mapping/);
  });

  it.each(notYaml)('posted: %s', async (_name, text) => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/designs', postYaml(text));
    const answer = await res.text();
    expect(answer).not.toContain(SECRET.slice(4, 20));
  });

  it('posted JSON', async () => {
    const { app } = await designApp();
    for (const text of [`["${SECRET}", {x}]`, `${SECRET}`, `[{"a": 1} "${SECRET}"]`]) {
      const res = await app.request('/api/v1.0/designs', {
        method: 'POST',
        body: text,
        headers: { 'Content-Type': 'application/json', 'X-Auth-Token': 'admin-token-for-design-tests' },
      });
      expect(res.status).toBe(400);
      const answer = await res.text();
      expect(answer).not.toContain(SECRET.slice(4, 20));
      expect(answer).toMatch(/line \d+, column \d+/);
    }
  });
});
