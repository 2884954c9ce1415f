// `npm run bench:design-worker`: what reading a design off the main thread
// costs. For a 4-node design and the 10,000-node design, the median time of
// one read (parse + compile) in the calling thread and through the worker
// pool that Node and Deno use (post the text, read, clone the site model
// back), and the longest the main thread's event loop was blocked during
// the worker reads (the clone of the result arriving); then the same
// through the worker without the site model (what /validatedesign and
// POST /designs ask for). Prints figures;
// asserts nothing about speed.
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DEFAULT_DESIGN_LIMITS } from '../src/design/parse/limits.ts';
import { createLogger } from '../src/core/log.ts';
import { createDesignWorkerPool } from '../src/runtime/design-worker/pool.ts';
import { readDesignNow, type ReadRequest } from '../src/design/reader.ts';
import { positiveNumber } from './knobs.mjs';
import { generateSite } from './site-generator.ts';

const SIZES = [4, 10_000];
const RUNS_SMALL = positiveNumber('BENCH_RUNS_SMALL', 50);
const RUNS_LARGE = positiveNumber('BENCH_RUNS_LARGE', 5);

const pool = createDesignWorkerPool({
  limits: DEFAULT_DESIGN_LIMITS,
  memoryMb: 512,
  workers: 1,
  logger: createLogger({ level: 'error' }),
});

/** The main thread's own share of worker reads: its longest event-loop stall while they run. */
async function stall(request: ReadRequest, runs: number): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  for (let i = 0; i < runs; i++) await pool.read(request);
  delay.disable();
  return delay.max / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(9);

async function measure(n: number, runs: number) {
  const request: ReadRequest = { text: generateSite(n).yaml, format: 'yaml' };
  // Warm both paths: JIT in this thread, and the worker's start-up (under tsx, its compiler).
  readDesignNow(request, DEFAULT_DESIGN_LIMITS);
  await pool.read(request);
  const here: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const a = readDesignNow(request, DEFAULT_DESIGN_LIMITS);
    here.push(performance.now() - t0);
    t0 = performance.now();
    const b = await pool.read(request);
    off.push(performance.now() - t0);
    if (a.site?.nodes.size !== n || b.site?.nodes.size !== n) throw new Error(`the ${n}-node design did not load`);
  }
  const messagesOnly: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await pool.read({ ...request, site: false });
    messagesOnly.push(performance.now() - t0);
  }
  const hop = median(off) - median(here);
  console.log(
    `${String(n).padStart(7)}  ${fmt(median(here))}  ${fmt(median(off))}  ${fmt(hop)}  ${fmt(await stall(request, runs))}` +
      `  ${fmt(median(messagesOnly))}  ${fmt(await stall({ ...request, site: false }, runs))}  ${String(runs).padStart(5)}`,
  );
}

console.log(`node ${process.version}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; medians`);
console.log('                       with the site model                       messages only (site: false)');
console.log('  nodes  in-thread   worker ms      hop ms   max stall    worker ms   max stall   runs');
for (const n of SIZES) await measure(n, n >= 10_000 ? RUNS_LARGE : RUNS_SMALL);
await pool.close();
