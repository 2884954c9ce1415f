// `npm run bench:keycheck`: how long a refused boot action key takes for a
// known name (wrong key) and for an unknown one, host and action alike,
// in-process through app.request() on a libSQL :memory: database, so the
// figures hold the key check and little else. Unknown names should cost what
// known ones do (bootaction/key-records.ts); over HTTP the
// difference was 30-100 µs before that. Prints percentiles and the
// unknown − known difference; asserts only that every answer was 403.
//
// The cases run interleaved, round after round, so drift (GC, CPU frequency,
// other load) hits them alike. The failure limit is off by default, which
// leaves out the rate-limit read and write (the same for every case).
//
// Knobs: BENCH_ROUNDS (5000), BENCH_WARMUP_ROUNDS (500),
// BENCH_AUTH_LIMIT (0: off; e.g. 1000000 to include the counting).
import { loadavg } from 'node:os';
import { actionOf, API, bootActionLab, keyed, signal } from '../test/api/bootaction-fixtures.ts';
import { positiveNumber } from './knobs.mjs';

const ROUNDS = positiveNumber('BENCH_ROUNDS', 5000);
const WARMUP = positiveNumber('BENCH_WARMUP_ROUNDS', 500);
const LIMIT = process.env.BENCH_AUTH_LIMIT ?? '0';
const WRONG = 'ab'.repeat(32);

const lab = await bootActionLab({ env: { BOOTACTION_AUTH_FAILURES_PER_MINUTE: LIMIT } });
const { actionId } = await actionOf(lab.keys, 'node00001', 'hello-world');
const cases: Record<string, () => Response | Promise<Response>> = {
  'host: wrong key': () => lab.app.request(`${API}/bootdata/node00001/files`, keyed(WRONG)),
  'host: unknown': () => lab.app.request(`${API}/bootdata/no-such-host/files`, keyed(WRONG)),
  'action: wrong key': () => lab.app.request(`${API}/bootactions/${actionId}`, signal(WRONG, { status: 'Success' })),
  'action: unknown': () => lab.app.request(`${API}/bootactions/01HZZZZZZZZZZZZZZZZZZZZZZZ`, signal(WRONG, { status: 'Success' })),
};
const times = new Map(Object.keys(cases).map((k) => [k, [] as number[]]));
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  for (const [name, run] of Object.entries(cases)) {
    const start = process.hrtime.bigint();
    const res = await run();
    await res.arrayBuffer();
    const us = Number(process.hrtime.bigint() - start) / 1000;
    if (res.status !== 403) throw new Error(`${name}: answered ${res.status}, not 403`);
    if (round >= WARMUP) times.get(name)!.push(us);
  }
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const p50 = new Map<string, number>();
console.log(`node ${process.version}, ${ROUNDS} rounds after ${WARMUP} warm-up, failure limit ${LIMIT}, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const [name, xs] of times) {
  xs.sort((a, b) => a - b);
  p50.set(name, pct(xs, 0.5));
  console.log(`${name.padEnd(18)} p25 ${pct(xs, 0.25).toFixed(1).padStart(6)} µs  p50 ${pct(xs, 0.5).toFixed(1).padStart(6)} µs  p75 ${pct(xs, 0.75).toFixed(1).padStart(6)} µs`);
}
for (const kind of ['host', 'action']) {
  const diff = p50.get(`${kind}: unknown`)! - p50.get(`${kind}: wrong key`)!;
  console.log(`${kind}: unknown − wrong key at p50: ${diff >= 0 ? '+' : ''}${diff.toFixed(1)} µs`);
}
