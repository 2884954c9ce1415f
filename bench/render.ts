// `npx tsx bench/render.ts`: boot action renders per second in one process,
// for a 4-asset boot action shaped like Drydock's own `helloworld` sample
// (a base64 script through base64_decode/utf8_decode/template, a base64
// systemd unit through base64_decode/utf8_decode, a template with the design
// ref, action id and key, and an inline pkg_list), written anew here.
// Cases:
//   render         renderAssets for `file` and for `unit` (what one node's two
//                  requests render), templates already parsed (the steady state)
//   render+tar     the same, plus one gzip tarball of the three files with its
//                  ETag, as Drydock's render_assets + tarbuilder did in one call
//   cold render    each iteration with new template texts, so every template
//                  is parsed (a first request after a design change)
// Drydock on this machine: ~450 render+tar per second in-process.
// Prints figures; asserts nothing about speed. BENCH_SECONDS sets the
// measured time per case (default 3).
import { performance } from 'node:perf_hooks';
import { renderAssets, type RenderRequest } from '../src/bootaction/render/index.ts';
import { buildTarball } from '../src/bootaction/tarball.ts';
import type { BootActionAsset } from '../src/design/model.ts';
import { makeBootAction, makeNetwork, makeNode, siteOf } from '../test/helpers/site-model.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function asset(over: Partial<BootActionAsset>): BootActionAsset {
  return { type: 'file', path: null, permissions: null, location: null, locationPipeline: [], data: null, dataPipeline: [], packageList: null, ...over };
}

function helloworld(variant: string) {
  return makeBootAction('helloworld', {
    targetNodes: ['compute01'],
    assets: [
      asset({
        path: '/var/tmp/hello.sh',
        permissions: 0o555,
        data: b64(`#!/bin/bash\n# ${variant}\necho 'Hello World! -from {{ node.hostname }} ({{ node.network.default.ip }})'\n`),
        dataPipeline: ['base64_decode', 'utf8_decode', 'template'],
      }),
      asset({
        type: 'unit',
        path: '/lib/systemd/system/hello.service',
        permissions: 0o600,
        data: b64(`[Unit]\nDescription=Hello World ${variant}\n\n[Service]\nType=oneshot\nExecStart=/var/tmp/hello.sh\n\n[Install]\nWantedBy=multi-user.target\n`),
        dataPipeline: ['base64_decode', 'utf8_decode'],
      }),
      asset({
        path: '/var/tmp/designref.sh',
        permissions: 0o500,
        data: `# ${variant}\n{{ action.design_ref }}\n{{ action.action_id }}\n{{ action.action_key }}\ncurl -X POST {{ action.report_url }}{{ action.action_id }}/?ref={{ action.design_ref | urlencode }}\n`,
        dataPipeline: ['utf8_decode', 'template'],
      }),
      asset({ type: 'pkg_list', packageList: { '2ping': '3.2.1-1', '0xffff': null } }),
    ],
  });
}

const node = makeNode('compute01', {
  primaryNetwork: 'mgmt',
  domain: 'mgmt.example.com',
  tags: ['compute'],
  ownerData: { rack: 'rack1' },
  addressing: [{ network: 'mgmt', type: 'static', address: '172.16.1.21' }],
});

function request(variant: string, assetType: 'file' | 'unit'): RenderRequest {
  const action = helloworld(variant);
  return {
    site: siteOf({ nodes: [node], networks: [makeNetwork('mgmt', { cidr: '172.16.1.0/24', dnsDomain: 'mgmt.example.com' })], bootActions: [action] }),
    node,
    designRef: 'deckhand+http://deckhand:9000/api/v1.0/revisions/1/rendered-documents',
    reportUrl: 'http://drydock:9000/api/v1.0/bootactions/',
    actions: [{ action, actionId: '01J9ZQ4M8KX3V7T2B5N6R0C1DE', actionKey: 'ab'.repeat(32) }],
    assetType,
    fetch,
    timeoutMs: 10_000,
    maxBytes: 1_048_576,
  };
}

async function renderBoth(variant: string) {
  const files = await renderAssets(request(variant, 'file'));
  const units = await renderAssets(request(variant, 'unit'));
  return [...files, ...units];
}

async function measure(name: string, once: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) await once(-1 - i); // warm-up
  const samples: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let i = 0;
  while (performance.now() < end) {
    const t0 = performance.now();
    await once(i++);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  const perSecond = samples.length / (samples.reduce((a, b) => a + b, 0) / 1000);
  console.log(
    `${name.padEnd(12)} ${perSecond.toFixed(0).padStart(8)}/s   p50 ${(at(0.5) * 1000).toFixed(0).padStart(5)} µs   p99 ${(at(0.99) * 1000).toFixed(0).padStart(5)} µs   (${samples.length} runs)`,
  );
}

console.log(`node ${process.version}; ${SECONDS} s per case; a 4-asset boot action (3 files rendered, 1 pkg_list)`);
await measure('render', () => renderBoth('steady'));
await measure('render+tar', async () => buildTarball((await renderBoth('steady')).map((f) => ({ path: f.path, mode: f.mode, content: f.content }))));
await measure('cold render', (i) => renderBoth(`variant ${i}`));
