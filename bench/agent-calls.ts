// `npm run bench:agent-calls`: what a driver call costs through a site agent.
// An edge (`tsx src/node.ts`, DRIVER_LOCATION=agent, a libSQL file) and one
// agent (`tsx src/agent.ts`, the fake lab's drivers, no delay) on loopback,
// run once with AGENT_MAX_CALLS=1 and once with BENCH_MAX_CALLS (the
// agent's default, 4). Each call is timed from its row's creation to its
// result being stored:
// - a burst: BENCH_CALLS (200) validate_node_services calls written into
//   driver_calls at once, as many orchestrators would queue them;
// - a lone call queued by the edge itself: a verify_site task, whose two
//   calls (validate_node_services, validate_oob_services) the edge's
//   orchestrator queues; on Node/Deno that wakes the agent's waiting lease;
// - a lone call written by another process (this script): the edge finds it
//   at its long poll's next look (every 500 ms), as it does on Workers.
// The same call made in-process is timed too. Prints p50/p95 in ms and
// calls per second through the one agent; asserts nothing.
import { createClient } from '@libsql/client';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_CALLS } from '../src/agent/settings.ts';
import { loadConfig } from '../src/core/config.ts';
import { createLogger } from '../src/core/log.ts';
import { createDrivers } from '../src/drivers/index.ts';
import { AGENT_ENTRY, NODE_ENTRY, ROOT, spawnProcess, startServer } from '../test/helpers/spawn.ts';
import { siteOf } from '../test/helpers/site-model.ts';
import { memoryDatabase } from '../test/helpers/app.ts';
import { positiveNumber } from './knobs.mjs';

const CALLS = positiveNumber('BENCH_CALLS', 200);
const MAX_CALLS = positiveNumber('BENCH_MAX_CALLS', DEFAULT_MAX_CALLS);
const LONE = 20;
const dir = await mkdtemp(join(tmpdir(), 'drydock-bench-agent-'));
const dbFile = join(dir, 'edge.db');
const edge = await startServer(NODE_ENTRY, {
  PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${dbFile}`, AUTH_MODE: 'token', ADMIN_TOKEN_FILE: join(dir, 'admin'),
  DESIGN_KEY_FILE: join(dir, 'key'), DRIVER_LOCATION: 'agent', LOG_LEVEL: 'warn',
});
const admin = (await readFile(join(dir, 'admin'), 'utf8')).trim();
const api = (path: string, body: unknown, type = 'application/json') =>
  fetch(`${edge.url}/api/v1.0${path}`, { method: 'POST', headers: { 'X-Auth-Token': admin, 'Content-Type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const design = (await (await api('/designs', await readFile(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8'), 'application/x-yaml')).json()) as {
  content_hash: string;
  href: string;
};
const { token } = (await (await api('/agents', { name: 'bench', site: 'east-lab' })).json()) as { token: string };
const db = createClient({ url: `file:${dbFile}` });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
// The edge holds the same file: wait for its locks rather than fail, and queue in one batch.
await db.execute('pragma busy_timeout = 10000');

/** Writes `n` calls as the orchestrator would, from this process (the edge is not told). */
async function queue(n: number, offset: number) {
  const now = Date.now();
  const request = JSON.stringify({ design: { content_hash: design.content_hash }, memo: null });
  await db.batch(
    Array.from({ length: n }, (_, i) => ({
      sql: `insert into driver_calls (call_id, site, task_id, node_name, action, driver, seq, request, state, attempts, created)
            values (?, 'east-lab', ?, '', 'validate_node_services', 'node', 1, ?, 'queued', 0, ?)`,
      args: [crypto.randomUUID(), `bench-${offset + i}`, request, now],
    })),
    'write',
  );
}

/** Until `expected` calls created since `since` (all of them when 0) have their result. */
async function settle(since = 0, expected = 0) {
  for (;;) {
    const rows = await db.execute({ sql: 'select created, finished, state from driver_calls where created >= ?', args: [since] });
    if (rows.rows.length >= expected && rows.rows.every((r) => r.state === 'done')) {
      return rows.rows.map((r) => Number(r.finished) - Number(r.created));
    }
    await pause(5);
  }
}

interface Run {
  maxCalls: number;
  burst: number[];
  callsPerSecond: number;
  woken: number[];
  looked: number[];
}

async function runWith(maxCalls: number): Promise<Run> {
  const agent = spawnProcess(AGENT_ENTRY, {
    EDGE_URL: edge.url, AGENT_TOKEN: token, SITE: 'east-lab', AGENT_SPOOL_DIR: join(dir, `spool-${maxCalls}`), FAKE_LAB_STEP_MS: '0',
    AGENT_MAX_CALLS: String(maxCalls), LOG_LEVEL: 'warn',
  });
  try {
    // Warm the agent (design fetched and compiled once) with one call.
    await queue(1, 0);
    await settle();
    // Only this script's rows: a verify_site task of an earlier run may still take its result.
    await db.execute("delete from driver_calls where task_id like 'bench-%'");
    const started = Date.now();
    await queue(CALLS, 1);
    const burst = await settle(started);
    const seconds = (Date.now() - started) / 1000;
    // Lone calls the edge queues (a verify_site task's two): the waiting lease is woken.
    const woken: number[] = [];
    for (let i = 0; i < LONE; i++) {
      const since = Date.now();
      const res = await api('/tasks', { action: 'verify_site', design_ref: design.href });
      if (res.status !== 201) throw new Error(`verify_site refused: ${res.status} ${await res.text()}`);
      woken.push(...(await settle(since, 2)));
      await pause(50);
    }
    // Lone calls written by this process: the lease finds each at its next look.
    const looked: number[] = [];
    for (let i = 0; i < LONE; i++) {
      const since = Date.now();
      await queue(1, 10_000 + i);
      looked.push(...(await settle(since, 1)));
      await pause(50);
    }
    return { maxCalls, burst, callsPerSecond: CALLS / seconds, woken, looked };
  } finally {
    await agent.stop();
  }
}

try {
  const runs = [await runWith(1), await runWith(MAX_CALLS)];
  // The same call in this process, as DRIVER_LOCATION=local makes it.
  const config = loadConfig({ FAKE_LAB_STEP_MS: '0' });
  const local = await memoryDatabase();
  const site = siteOf({});
  const ctx = { db: local.db, config, clock: () => new Date(), fetch, logger: createLogger({ level: 'error', sink: () => {} }), site, taskId: 't', designRef: 'x' };
  const node = createDrivers(config).node;
  const inProcess: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    await node.run(ctx, 'validate_node_services', null);
    inProcess.push(performance.now() - t0);
  }
  await local.close();
  console.log(`driver calls through one site agent (loopback, fake lab drivers; queued → result stored):`);
  for (const r of runs) {
    console.log(`AGENT_MAX_CALLS=${r.maxCalls}`);
    console.log(`  ${CALLS} calls queued at once   p50 ${pct(r.burst, 50)} ms  p95 ${pct(r.burst, 95)} ms (includes waiting behind the other calls)`);
    console.log(`  through one agent        ${r.callsPerSecond.toFixed(0)} calls/s (${(1000 / r.callsPerSecond).toFixed(1)} ms per call)`);
    console.log(`  lone call, edge-queued   p50 ${pct(r.woken, 50)} ms  p95 ${pct(r.woken, 95)} ms (${r.woken.length} calls of ${LONE} verify_site tasks; the lease is woken)`);
    console.log(`  lone call, DB-written    p50 ${pct(r.looked, 50)} ms  p95 ${pct(r.looked, 95)} ms (${r.looked.length} calls; found at the 500 ms look, as on Workers)`);
  }
  console.log(`in-process                 p50 ${pct(inProcess, 50).toFixed(2)} ms  p95 ${pct(inProcess, 95).toFixed(2)} ms`);
} finally {
  db.close();
  await edge.stop();
  await rm(dir, { recursive: true, force: true });
}
