import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/digest.ts';
import { readTarball } from '../../src/bootaction/tarball.ts';
import { designs } from '../../src/db/schema/designs.ts';
import { LruCache } from '../../src/design/site-cache.ts';
import { pinTaskDesign } from '../../src/orchestrator/design-pin.ts';
import { createTaskRecord } from '../../src/orchestrator/task-store.ts';
import { createBootActionContexts } from '../../src/services/bootactions/index.ts';
import { loadPinned, requireSite, type CompiledDesign } from '../../src/design/site-design.ts';
import { buildTestApp } from '../helpers/app.ts';
import { actionOf, API, designWith, keyed, movableClock, UNITS_ACTION } from './bootaction-fixtures.ts';

const REF = 'http://designs.test/site.yaml';
const LOCATION = 'http://assets.test/motd';

const REMOTE_ACTION = `---
schema: drydock/BootAction/v1
metadata:
  schema: metadata/Document/v1
  name: remote
  layeringDefinition: {abstract: false, layer: site}
  storagePolicy: cleartext
data:
  signaling: false
  assets:
    - path: /etc/motd
      type: file
      location: ${LOCATION}
`;

/**
 * An HTTP design server and asset server the test edits: `design` and `motd`
 * are what they answer now; `fetches` counts each request per URL.
 */
function servers(design: string) {
  const state = { design, motd: 'motd v1\n', fetches: new Map<string, number>() };
  const fetch = (async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    state.fetches.set(url, (state.fetches.get(url) ?? 0) + 1);
    if (url === REF) return new Response(state.design, { headers: { 'Content-Type': 'application/yaml' } });
    if (url === LOCATION) return new Response(state.motd);
    return new Response('not found', { status: 404 });
  }) as typeof globalThis.fetch;
  return { state, fetch, count: (url: string) => state.fetches.get(url) ?? 0 };
}

/**
 * A deploy task on an http:// design_ref, pinned by the orchestrator's own
 * code, with boot action contexts for both nodes: what a deployment leaves
 * behind for its nodes.
 */
async function pinnedLab(options: { env?: Record<string, string>; design?: string } = {}) {
  const server = servers(options.design ?? designWith(UNITS_ACTION));
  const clock = movableClock();
  const built = await buildTestApp({ env: { AUTH_MODE: 'none', ...options.env }, clock: clock.now, fetch: server.fetch });
  const db = built.database.db;
  const ctx = { db, clock: clock.now, config: built.services.config };
  const task = await createTaskRecord(ctx, { action: 'deploy_nodes', designRef: REF });
  const hash = await pinTaskDesign({ siteDesign: built.services.siteDesign, db, clock: clock.now }, task);
  const site = requireSite(await loadPinned(built.services.siteDesign, db, hash));
  const keys = await createBootActionContexts(ctx, { taskId: task.taskId, site, nodeNames: ['node00000', 'node00001'] });
  return { ...built, db, clock, server, count: server.count, hash, keys };
}

const filesOf = async (res: Response) =>
  Object.fromEntries((await readTarball(new Uint8Array(await res.arrayBuffer()))).map((e) => [e.path, new TextDecoder().decode(e.content)]));

describe('boot data of a pinned deploy', () => {
  it('renders the design the deploy pinned, and never fetches the design_ref, though its document changed', async () => {
    const lab = await pinnedLab();
    expect(lab.count(REF)).toBe(1);
    lab.server.state.design = designWith(UNITS_ACTION.replace('hello on', 'edited on'));
    // A fresh process over the same database: nothing cached in memory.
    const fresh = await buildTestApp({ database: lab.database, env: { AUTH_MODE: 'none' }, clock: lab.clock.now, fetch: lab.server.fetch });
    const key = lab.keys.get('node00001')!.nodeKey;
    for (const app of [lab.app, fresh.app]) {
      const res = await app.request(`${API}/bootdata/node00001/units`, keyed(key));
      expect(res.status).toBe(200);
      expect((await filesOf(res))['/etc/systemd/system/hello.service']).toContain('Description=hello on node00001');
    }
    expect(lab.count(REF)).toBe(1);
    expect(lab.hash).toBe(await sha256Hex(designWith(UNITS_ACTION)));
  });

  it('answers a repeat request and a matching If-None-Match from its cache, without loading the design or rendering', async () => {
    const lab = await pinnedLab();
    const key = lab.keys.get('node00001')!.nodeKey;
    const first = await lab.app.request(`${API}/bootdata/node00001/files`, keyed(key));
    const etag = first.headers.get('ETag')!;
    const bytes = new Uint8Array(await first.arrayBuffer());
    // Rendering again is now impossible: the compiled design is gone from memory and its text from the database.
    lab.services.siteDesign.cache = new LruCache<CompiledDesign>(8);
    await lab.db.delete(designs);
    const again = await lab.app.request(`${API}/bootdata/node00001/files`, keyed(key));
    expect([again.status, again.headers.get('ETag')]).toEqual([200, etag]);
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(bytes);
    const revalidated = await lab.app.request(`${API}/bootdata/node00001/files`, keyed(key, { 'If-None-Match': etag }));
    expect([revalidated.status, await revalidated.text()]).toEqual([304, '']);
    // The other type (another address) must render, and cannot any more.
    expect((await lab.app.request(`${API}/bootdata/node00001/units`, keyed(key))).status).toBe(500);
    // A wrong key never reaches the cache.
    expect((await lab.app.request(`${API}/bootdata/node00001/files`, keyed('ab'.repeat(32)))).status).toBe(403);
  });

  it('renders anew for a new deployment of the node (new action ids and keys)', async () => {
    const lab = await pinnedLab();
    const old = await lab.app.request(`${API}/bootdata/node00001/files`, keyed(lab.keys.get('node00001')!.nodeKey));
    const site = requireSite(await loadPinned(lab.services.siteDesign, lab.db, lab.hash));
    const task = await createTaskRecord({ db: lab.db, clock: lab.clock.now }, { action: 'deploy_nodes', designRef: REF, designContentHash: lab.hash });
    const keys = await createBootActionContexts(
      { db: lab.db, clock: lab.clock.now, config: lab.services.config },
      { taskId: task.taskId, site, nodeNames: ['node00001'] },
    );
    const res = await lab.app.request(`${API}/bootdata/node00001/files`, keyed(keys.get('node00001')!.nodeKey));
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).not.toBe(old.headers.get('ETag'));
    const units = await actionOf(keys, 'node00001', 'units');
    expect((await filesOf(res))['/var/lib/hello/signal.env']).toContain(`KEY=${units.actionKey}\n`);
  });

  it('keeps a tarball with a location asset only BOOTACTION_LOCATION_CACHE_SECONDS', async () => {
    const lab = await pinnedLab({ design: designWith(UNITS_ACTION, REMOTE_ACTION), env: { BOOTACTION_LOCATION_CACHE_SECONDS: '5' } });
    const key = lab.keys.get('node00001')!.nodeKey;
    const get = (extra: Record<string, string> = {}) => lab.app.request(`${API}/bootdata/node00001/files`, keyed(key, extra));
    const first = await get();
    expect((await filesOf(first))['/etc/motd']).toBe('motd v1\n');
    const etag = first.headers.get('ETag')!;
    lab.server.state.motd = 'motd v2\n';
    lab.clock.advance(4_000);
    expect((await get({ 'If-None-Match': etag })).status).toBe(304);
    expect(lab.count(LOCATION)).toBe(1);
    lab.clock.advance(1_000);
    const later = await get({ 'If-None-Match': etag });
    expect(later.status).toBe(200);
    expect((await filesOf(later))['/etc/motd']).toBe('motd v2\n');
    expect(lab.count(LOCATION)).toBe(2);
  });

  it('renders every request with BOOTACTION_TARBALL_CACHE_MB=0, or a location tarball with BOOTACTION_LOCATION_CACHE_SECONDS=0', async () => {
    const envs: Array<Record<string, string>> = [{ BOOTACTION_TARBALL_CACHE_MB: '0' }, { BOOTACTION_LOCATION_CACHE_SECONDS: '0' }];
    for (const env of envs) {
      const lab = await pinnedLab({ design: designWith(UNITS_ACTION, REMOTE_ACTION), env });
      const key = lab.keys.get('node00001')!.nodeKey;
      for (let i = 0; i < 3; i++) expect((await lab.app.request(`${API}/bootdata/node00001/files`, keyed(key))).status).toBe(200);
      expect(lab.count(LOCATION), JSON.stringify(env)).toBe(3);
    }
  });
});
