// The design engine through the API, as the Node server runs it
// (prepareLocal: a libSQL file, the design reader worker pool), called
// in-process with app.request (no HTTP listener: the figures are the
// engine's, not the socket's). Each site is stored with POST /designs first
// (not timed), then:
//   /validatedesign cold   POST /validatedesign of a design:// ref whose
//                          content this process has never read (a comment
//                          makes each run's text new): median of the runs
//   /nodefilter            POST /nodefilter on the 1,000-node ref (masters of
//                          zone 1): the first call after a /validatedesign
//                          of that content (the cache then holds only its
//                          messages), then the mean of warm calls
// Knobs: BENCH_API_SIZES (1000,10000), BENCH_API_RUNS (3), BENCH_FILTER_CALLS (50).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { prepareLocal } from '../src/runtime/local.ts';
import { generateSite } from './site-generator.ts';

const SIZES = (process.env.BENCH_API_SIZES ?? '1000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_API_RUNS ?? 3);
const FILTER_CALLS = Number(process.env.BENCH_FILTER_CALLS ?? 50);
const GOALS: Record<number, string> = { 1000: '0.25 s', 10000: '1.5 s' };

const FILTER = {
  filter_set_type: 'intersection',
  filter_set: [
    { filter_type: 'union', node_tags: ['masters'] },
    { filter_type: 'union', rack_labels: { zone: 'zone1' } },
  ],
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function designApiBench(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-bench-design-api-'));
  const local = await prepareLocal({
    DATABASE_URL: `file:${join(dir, 'db.sqlite')}`,
    AUTH_MODE: 'none',
    LOG_LEVEL: 'error',
    PORT: '0',
    ADMIN_TOKEN_FILE: join(dir, 'admin-token'),
  });
  const post = async (path: string, body: string, type = 'application/json') => {
    const res = await local.app.request(`/api/v1.0${path}`, { method: 'POST', body, headers: { 'Content-Type': type } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const store = async (yaml: string) => {
    const stored = await post('/designs', yaml, 'application/x-yaml');
    if (stored.status !== 201) throw new Error(`POST /designs: ${stored.status} ${JSON.stringify(stored.body).slice(0, 300)}`);
    return String(stored.body.href);
  };
  try {
    let filterRef: string | null = null;
    for (const n of SIZES) {
      const base = generateSite(n).yaml;
      const times: number[] = [];
      for (let run = 0; run < RUNS + 1; run++) {
        const ref = await store(`# bench run ${run} ${Date.now()}\n${base}`);
        const t0 = performance.now();
        const answer = await post('/validatedesign', JSON.stringify({ rel: 'design', href: ref, type: 'application/x-yaml' }));
        const ms = performance.now() - t0;
        if (answer.status !== 200) throw new Error(`/validatedesign of ${n} nodes: ${answer.status}`);
        if (run > 0) times.push(ms); // the first run starts the worker threads
        if (n === 1000) filterRef = ref;
      }
      const goal = GOALS[n] ? ` (goal: at most ${GOALS[n]})` : '';
      console.log(`/validatedesign cold, ${n} nodes: ${(median(times) / 1000).toFixed(3)} s median of ${RUNS} [${times.map((t) => t.toFixed(0)).join(', ')} ms]${goal}`);
    }
    if (filterRef) {
      const body = JSON.stringify({ design_ref: filterRef, node_filter: FILTER });
      let t0 = performance.now();
      const first = await post('/nodefilter', body);
      const firstMs = performance.now() - t0;
      if (first.status !== 200) throw new Error(`/nodefilter: ${first.status}`);
      t0 = performance.now();
      let selected = 0;
      for (let i = 0; i < FILTER_CALLS; i++) selected = ((await post('/nodefilter', body)).body as unknown as string[]).length;
      const warm = (performance.now() - t0) / FILTER_CALLS;
      console.log(
        `/nodefilter on the 1,000-node ref (${selected} selected): first after validation ${firstMs.toFixed(1)} ms, ` +
          `then ${warm.toFixed(2)} ms per request over ${FILTER_CALLS} (goal: at most 10 ms)`,
      );
    }
  } finally {
    await local.close();
    await rm(dir, { recursive: true, force: true });
  }
}
