import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOrigin, type Origin } from '../../helpers/origin.ts';
import { COMPATIBILITY_DATE, OFFLINE_ENV, ROOT, WORKER_BUILD_OPTIONS } from '../../helpers/worker-bundle.ts';

// Rendering inside workerd, which refuses code generation from strings and
// has no Node built-ins: LiquidJS must be its browser build, and a template
// must render and a location be fetched there as on Node.

const ENTRY = `
import { AssetError, renderAssets } from './src/bootaction/render/index.ts';
import { validateSite } from './src/design/validators/index.ts';
import { makeAsset, makeBootAction, makeNode, makeNetwork, siteOf } from './test/helpers/site-model.ts';

export default {
  async fetch(request) {
    const { location } = await request.json();
    const node = makeNode('compute01', { primaryNetwork: 'mgmt', addressing: [{ network: 'mgmt', type: 'static', address: '10.1.0.5' }] });
    const file = (path, over) => makeAsset({ path, ...over });
    const action = makeBootAction('hello', { targetNodes: ['compute01'], assets: [
      file('/etc/hello', { data: '{% if node.network.default %}{{ node.hostname }} {{ node.network.default.ip | urlencode }}{% endif %}\\n', dataPipeline: ['utf8_decode', 'template'] }),
      file('/etc/remote', { location: location + '/{{ node.hostname }}', locationPipeline: ['template'], dataPipeline: ['template'] }),
    ] });
    const broken = makeBootAction('broken', { targetNodes: ['compute01'], assets: [file('/etc/bad', { data: '{{ x | upper }}', dataPipeline: ['template'] })] });
    const site = siteOf({ nodes: [node], networks: [makeNetwork('mgmt')], bootActions: [action, broken] });
    const base = { site, node, designRef: 'design://1', reportUrl: 'http://x/', assetType: 'file', fetch, timeoutMs: 5000, maxBytes: 65536, retries: 0 };
    const files = await renderAssets({ ...base, actions: [{ action, actionId: 'ID', actionKey: 'KEY' }] });
    let error = null;
    try {
      await renderAssets({ ...base, actions: [{ action: broken, actionId: 'ID', actionKey: 'KEY' }] });
    } catch (err) {
      error = err instanceof AssetError ? err.message : String(err);
    }
    const findings = validateSite(site, { platforms: { images: {} } }).filter((m) => m.name === 'DD4011').map((m) => m.level);
    return Response.json({ files: files.map((f) => [f.path, new TextDecoder().decode(f.content)]), error, findings });
  },
};
`;

let dir: string;
let mf: Miniflare;
let origin: Origin;

beforeAll(async () => {
  Object.assign(process.env, OFFLINE_ENV);
  dir = await mkdtemp(join(tmpdir(), 'drydock-render-'));
  const scriptPath = join(dir, 'worker.js');
  await build({
    ...WORKER_BUILD_OPTIONS,
    stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' },
    outfile: scriptPath,
  });
  mf = new Miniflare({ modules: true, scriptPath, modulesRoot: dir, compatibilityDate: COMPATIBILITY_DATE, cf: false, host: '127.0.0.1', port: 0 });
  await mf.ready;
  origin = await startOrigin();
});

afterAll(async () => {
  await origin?.close();
  await mf?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rendering in workerd', () => {
  it('renders templates, fetches locations and reports template errors', async () => {
    origin.handle = (req, res) => res.end(`fetched ${req.url} for {{ node.hostname }}`);
    const res = await mf.dispatchFetch('http://worker/', { method: 'POST', body: JSON.stringify({ location: origin.base }) });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(JSON.parse(text)).toEqual({
      files: [
        ['/etc/hello', 'compute01 10.1.0.5\n'],
        ['/etc/remote', 'fetched /compute01 for compute01'],
      ],
      error: 'Boot action broken, asset /etc/bad: data_pipeline segment template failed: template error: undefined filter: upper, line:1, col:1',
      findings: ['Error'],
    });
  });
});
