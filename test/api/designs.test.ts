import { describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers/app.ts';
import { asAdmin, designApp, postJson, postYaml, READER, smallSite } from './design-fixtures.ts';

describe('POST /api/v1.0/designs', () => {
  it('stores a YAML design and answers 201 with its id, design:// href and Location', async () => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/designs', postYaml(smallSite().yaml));
    expect(res.status).toBe(201);
    const body = await jsonOf(res);
    expect(body.design_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.href).toBe(`design://${body.design_id}`);
    expect(res.headers.get('Location')).toBe(`/api/v1.0/designs/${body.design_id}`);
    expect(body.content_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('returns the stored documents byte for byte, and lists the design', async () => {
    const { app } = await designApp();
    const yaml = smallSite().yaml;
    const { design_id: id } = await jsonOf(await app.request('/api/v1.0/designs', postYaml(yaml)));
    const got = await app.request(`/api/v1.0/designs/${id}`, { headers: asAdmin() });
    expect(got.status).toBe(200);
    expect(got.headers.get('Content-Type')).toMatch(/application\/x-yaml/);
    expect(await got.text()).toBe(yaml);
    const list = await jsonOf(await app.request('/api/v1.0/designs', { headers: asAdmin() }));
    expect(list.map((d: { design_id: string }) => d.design_id)).toContain(id);
  });

  it('accepts a JSON list of documents', async () => {
    const { app } = await designApp();
    const docs = [{ schema: 'drydock/Region/v1', metadata: { name: 'r1' }, data: { tag_definitions: [] } }];
    const res = await app.request('/api/v1.0/designs', postJson(docs));
    expect(res.status).toBe(201);
    const { design_id: id } = await jsonOf(res);
    const got = await app.request(`/api/v1.0/designs/${id}`, { headers: asAdmin() });
    expect(got.headers.get('Content-Type')).toMatch(/application\/json/);
  });

  it('answers the same id for the same content', async () => {
    const { app } = await designApp();
    const yaml = smallSite().yaml;
    const a = await jsonOf(await app.request('/api/v1.0/designs', postYaml(yaml)));
    const b = await jsonOf(await app.request('/api/v1.0/designs', postYaml(yaml)));
    expect(b.design_id).toBe(a.design_id);
  });

  it('answers 404 in the envelope for an unknown design id', async () => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/designs/00000000-0000-4000-8000-000000000000', { headers: asAdmin() });
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 404 });
  });

  it('refuses a body that is not YAML with 400 naming the line', async () => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/designs', postYaml('a: [1, 2\nb: }\n'));
    expect(res.status).toBe(400);
    const body = await jsonOf(res);
    expect(JSON.stringify(body.details.messageList)).toMatch(/line \d+/);
  });

  it('refuses an empty design, another media type, and a design over DESIGN_MAX_BYTES', async () => {
    const { app } = await designApp({ DESIGN_MAX_BYTES: '1000' });
    expect((await app.request('/api/v1.0/designs', postYaml('  \n'))).status).toBe(400);
    const wrongType = await app.request('/api/v1.0/designs', {
      method: 'POST',
      body: 'x',
      headers: { 'Content-Type': 'text/html', 'X-Auth-Token': 'admin-token-for-design-tests' },
    });
    expect(wrongType.status).toBe(415);
    expect((await app.request('/api/v1.0/designs', postYaml(smallSite().yaml))).status).toBe(413);
  });

  it('applies ingest_data and read_data policies', async () => {
    const { app } = await designApp();
    expect((await app.request('/api/v1.0/designs', postYaml(smallSite().yaml, READER))).status).toBe(403);
    expect((await app.request('/api/v1.0/designs', { headers: { 'X-Auth-Token': READER } })).status).toBe(403);
    expect((await app.request('/api/v1.0/designs')).status).toBe(401);
  });
});
