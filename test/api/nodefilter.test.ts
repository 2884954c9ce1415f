import { describe, expect, it } from 'vitest';
import { generateSite } from '../../bench/site-generator.ts';
import { jsonOf } from '../helpers/app.ts';
import { designApp, postJson, postYaml, READER } from './design-fixtures.ts';

async function withSite(nodes: number) {
  const { app } = await designApp();
  const site = generateSite(nodes);
  const res = await app.request('/api/v1.0/designs', postYaml(site.yaml));
  return { app, site, ref: (await jsonOf(res)).href as string };
}

describe('POST /api/v1.0/nodefilter', () => {
  it('lists every node when no node_filter is given', async () => {
    const { app, site, ref } = await withSite(4);
    const res = await app.request('/api/v1.0/nodefilter', postJson({ design_ref: ref }));
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual(site.nodeNames);
  });

  it('lists the nodes of a design validated first (validation reads it without its site model)', async () => {
    const { app, site, ref } = await withSite(4);
    const validation = await app.request('/api/v1.0/validatedesign', postJson({ rel: 'design', href: ref, type: 'application/x-yaml' }));
    expect(validation.status).toBe(200);
    const res = await app.request('/api/v1.0/nodefilter', postJson({ design_ref: ref }));
    expect(await jsonOf(res)).toEqual(site.nodeNames);
    const again = await app.request('/api/v1.0/validatedesign', postJson({ rel: 'design', href: ref, type: 'application/x-yaml' }));
    expect(again.status).toBe(200);
  });

  it('selects nodes by tag intersected with rack labels', async () => {
    const { app, ref } = await withSite(120);
    const node_filter = {
      filter_set_type: 'intersection',
      filter_set: [
        { filter_type: 'union', node_tags: ['masters'] },
        { filter_type: 'union', rack_labels: { zone: 'zone1' } },
      ],
    };
    const res = await app.request('/api/v1.0/nodefilter', postJson({ design_ref: ref, node_filter }));
    expect(res.status).toBe(200);
    const names: string[] = await jsonOf(res);
    // rack001 (zone1) holds nodes 40..79; masters are every third node.
    const expected = Array.from({ length: 40 }, (_, i) => 40 + i).filter((i) => i % 3 === 0).map((i) => `node${String(i).padStart(5, '0')}`);
    expect(names).toEqual(expected);
  });

  it('answers 400 to a missing design_ref', async () => {
    const { app } = await designApp();
    const res = await app.request('/api/v1.0/nodefilter', postJson({ node_filter: null }));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toBe('Missing input required value: design_ref');
  });

  it('refuses a design_ref over 2048 characters, as POST /tasks does, and reads one at the limit', async () => {
    const { app } = await designApp();
    const long = `design://${'a'.repeat(2040)}`;
    expect(long).toHaveLength(2049);
    const res = await app.request('/api/v1.0/nodefilter', postJson({ design_ref: long }));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toBe('design_ref must be at most 2048 characters');
    const atLimit = await app.request('/api/v1.0/nodefilter', postJson({ design_ref: ` ${long.slice(0, 2048)} ` }));
    expect(atLimit.status).toBe(400);
    expect((await jsonOf(atLimit)).message).toMatch(/^Cannot resolve design_ref design:\/\/a{2039}: /);
  });

  it.each([
    [{ filter_set_type: 'xor', filter_set: [] }, /filter_set_type/],
    [{ filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: 'n1' }] }, /node_names/],
    [{ filter_set_type: 'union', filter_set: 'all' }, /filter_set/],
  ])('answers 400 to a node filter of the wrong shape (%o)', async (node_filter, pattern) => {
    const { app, ref } = await withSite(2);
    const res = await app.request('/api/v1.0/nodefilter', postJson({ design_ref: ref, node_filter }));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(pattern);
  });

  it('applies the read_data policy', async () => {
    const { app } = await designApp();
    expect((await app.request('/api/v1.0/nodefilter', postJson({ design_ref: 'design://x' }, READER))).status).toBe(403);
  });
});
