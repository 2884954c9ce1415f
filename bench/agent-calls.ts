// `npm run bench:agent-calls`: what a driver call costs through a site agent.
// An edge (`tsx src/node.ts`, DRIVER_LOCATION=agent, a libSQL file) and one
// agent (`tsx src/agent.ts`, the fake lab's node driver, no delay) on
// loopback; BENCH_CALLS (200) validate_node_services calls are queued at once
// as the orchestrator queues them (driver_calls rows), and each is timed from
// its row's creation to its result being stored. The same call made
// in-process is timed too, and 20 calls queued one at a time. Prints p50/p95
// in ms and calls per second through the one agent; asserts nothing.
import { createClient } from '@libsql/client';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/core/config.ts';
import { createLogger } from '../src/core/log.ts';
import { createDrivers } from '../src/drivers/index.ts';
import { AGENT_ENTRY, NODE_ENTRY, ROOT, spawnProcess, startServer } from '../test/helpers/spawn.ts';
import { siteOf } from '../test/helpers/site-model.ts';
import { memoryDatabase } from '../test/helpers/app.ts';
import { positiveNumber } from './knobs.mjs';

const CALLS = positiveNumber('BENCH_CALLS', 200);
const dir = await mkdtemp(join(tmpdir(), 'drydock-bench-agent-'));
const dbFile = join(dir, 'edge.db');
const edge = await startServer(NODE_ENTRY, {
  PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${dbFile}`, AUTH_MODE: 'token', ADMIN_TOKEN_FILE: join(dir, 'admin'),
  DESIGN_KEY_FILE: join(dir, 'key'), DRIVER_LOCATION: 'agent', LOG_LEVEL: 'warn',
});
const admin = (await readFile(join(dir, 'admin'), 'utf8')).trim();
const api = (path: string, body: unknown, type = 'application/json') =>
  fetch(`${edge.url}/api/v1.0${path}`, { method: 'POST', headers: { 'X-Auth-Token': admin, 'Content-Type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const design = (await (await api('/designs', await readFile(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8'), 'application/x-yaml')).json()) as { content_hash: string };
const { token } = (await (await api('/agents', { name: 'bench', site: 'east-lab' })).json()) as { token: string };
const agent = spawnProcess(AGENT_ENTRY, {
  EDGE_URL: edge.url, AGENT_TOKEN: token, SITE: 'east-lab', AGENT_SPOOL_DIR: join(dir, 'spool'), FAKE_LAB_STEP_MS: '0', LOG_LEVEL: 'warn',
});
const db = createClient({ url: `file:${dbFile}` });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
try {
  // Warm the agent (design fetched and compiled once) with one call.
  // The edge holds the same file: wait for its locks rather than fail, and queue in one batch.
  await db.execute('pragma busy_timeout = 10000');
  const queue = async (n: number, offset: number) => {
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
  };
  const settle = async () => {
    for (;;) {
      const left = await db.execute("select count(*) as n from driver_calls where state != 'done'");
      if (Number(left.rows[0]!.n) === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await queue(1, 0);
  await settle();
  await db.execute('delete from driver_calls');
  const started = Date.now();
  await queue(CALLS, 1);
  await settle();
  const seconds = (Date.now() - started) / 1000;
  const rows = await db.execute('select created, finished from driver_calls');
  const latency = rows.rows.map((r) => Number(r.finished) - Number(r.created));
  // One call at a time, as a task with one node makes them: the edge finds a new call on its
  // long poll's next look (every 500 ms), so this is the added latency a lone call sees.
  const single: number[] = [];
  for (let i = 0; i < 20; i++) {
    await db.execute('delete from driver_calls');
    await queue(1, 10_000 + i);
    await settle();
    const [row] = (await db.execute('select created, finished from driver_calls')).rows;
    single.push(Number(row!.finished) - Number(row!.created));
  }
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
  console.log(`driver calls through one site agent (${CALLS} calls queued at once, loopback, fake node driver):`);
  console.log(`  queued → result stored   p50 ${pct(latency, 50)} ms  p95 ${pct(latency, 95)} ms (includes waiting behind the other calls)`);
  console.log(`  through one agent        ${(CALLS / seconds).toFixed(0)} calls/s (the agent runs one call at a time)`);
  console.log(`  per call through it      ${((seconds * 1000) / CALLS).toFixed(1)} ms`);
  console.log(`  one call alone           p50 ${pct(single, 50)} ms  p95 ${pct(single, 95)} ms (queued → result stored)`);
  console.log(`  in-process               p50 ${pct(inProcess, 50).toFixed(2)} ms  p95 ${pct(inProcess, 95).toFixed(2)} ms`);
} finally {
  db.close();
  await agent.stop();
  await edge.stop();
  await rm(dir, { recursive: true, force: true });
}
