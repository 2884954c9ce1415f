// `npm run bench:design`: cost of the design pipeline as a site grows.
// For sites of 10, 100, 1,000 and 10,000 nodes: parse (YAML + schemas),
// compile (the effective site) and validate (every rule), with the per-node
// cost of each, then node filter calls over the largest site and over a
// four-node site (the size of Drydock's own sample, for comparison with
// Drydock's figures). Then the same engine through the API, cold, as the
// Node server runs it (bench/design-api.ts). Prints figures; asserts nothing
// about speed. BENCH_API=0 skips the API part, BENCH_API=only runs only it.
import { performance } from 'node:perf_hooks';
import { compileSite } from '../src/design/compile/index.ts';
import { parseNodeFilter, selectNodes } from '../src/design/filters.ts';
import type { SiteModel } from '../src/design/model.ts';
import { parseDesign } from '../src/design/parse/documents.ts';
import { validateSite } from '../src/design/validators/index.ts';
import { FAKE_LAB_IMAGES } from '../src/drivers/fake/boot-images.ts';
import { designApiBench } from './design-api.ts';
import { generateSite } from './site-generator.ts';

if (process.env.BENCH_API === 'only') {
  await designApiBench();
  process.exit(0);
}

const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000,10000').split(',').map(Number);
const ctx = { platforms: { images: FAKE_LAB_IMAGES } };

/** Median of `runs` timings of fn, in ms. */
function time<T>(runs: number, fn: () => T): { ms: number; value: T } {
  const samples: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)]!, value };
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(8);
const perNode = (ms: number, n: number) => `${((ms * 1000) / n).toFixed(1).padStart(7)} µs/node`;

console.log(`node ${process.version}; median of runs (5 up to 1,000 nodes, 3 at 10,000)`);
console.log('   nodes    parse ms  compile ms validate ms    total ms   parse/node  compile/node  validate/node');
let largest: SiteModel | null = null;
for (const n of SIZES) {
  const { yaml } = generateSite(n);
  const runs = n >= 10_000 ? 3 : 5;
  const parsed = time(runs, () => parseDesign(yaml, 'yaml'));
  if (parsed.value.messages.some((m) => m.error)) throw new Error(`generated site of ${n} nodes does not parse`);
  const compiled = time(runs, () => compileSite(parsed.value.documents));
  const validated = time(runs, () => validateSite(compiled.value.site, ctx));
  const errors = validated.value.filter((m) => m.error);
  if (errors.length) throw new Error(`generated site of ${n} nodes fails validation: ${errors[0]!.message}`);
  const total = parsed.ms + compiled.ms + validated.ms;
  console.log(
    `${String(n).padStart(8)}${fmt(parsed.ms)}   ${fmt(compiled.ms)}  ${fmt(validated.ms)}  ${fmt(total)}  ` +
      `${perNode(parsed.ms, n)}  ${perNode(compiled.ms, n)}  ${perNode(validated.ms, n)}`,
  );
  largest = compiled.value.site;
}

// Masters (every third node) in the racks of zone 1: a tag and a rack label.
const filter = parseNodeFilter({
  filter_set_type: 'intersection',
  filter_set: [
    { filter_type: 'union', node_tags: ['masters'] },
    { filter_type: 'union', rack_labels: { zone: 'zone1' } },
  ],
});

// On four nodes (one rack, zone0) the same shape selects the masters of zone 0.
const smallFilter = parseNodeFilter({
  filter_set_type: 'intersection',
  filter_set: [
    { filter_type: 'union', node_tags: ['masters'] },
    { filter_type: 'union', rack_labels: { zone: 'zone0' } },
  ],
});

function filterCost(site: SiteModel, label: string, filter: ReturnType<typeof parseNodeFilter>) {
  const calls = site.nodes.size > 1000 ? 200 : 20_000;
  for (let i = 0; i < Math.min(calls, 100); i++) selectNodes(site, filter);
  const t0 = performance.now();
  let selected = 0;
  for (let i = 0; i < calls; i++) selected = selectNodes(site, filter).length;
  const us = ((performance.now() - t0) * 1000) / calls;
  console.log(`node filter over ${label}: ${us.toFixed(2)} µs per call (${selected} selected, ${calls} calls)`);
}

if (largest) filterCost(largest, `${largest.nodes.size} nodes`, filter);

// Drydock's own sample site has four nodes: compile it cold (parse + compile,
// no cache) and filter it, for the figures Drydock reports on this machine.
const small = generateSite(4).yaml;
const cold = time(50, () => compileSite(parseDesign(small, 'yaml').documents));
console.log(`4-node site, parse + compile without cache: ${cold.ms.toFixed(2)} ms (Drydock: about 18 ms)`);
filterCost(cold.value.site, '4 nodes (Drydock: 6 to 14 µs)', smallFilter);

if (process.env.BENCH_API !== '0') await designApiBench();
