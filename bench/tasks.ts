// `npm run bench:tasks`: what tasks cost. Prints figures; asserts nothing
// about speed, only that every request and every task succeeded.
//
// 1. Task creation over loopback HTTP (autocannon POSTing validate_design
//    tasks against a stored design://), on two servers in turn:
//    - `server`: the real Node server (tsx src/node.ts), whose timer
//      scheduler runs each task as it is created, so creating competes with
//      executing; the backlog left at the end is timed as it drains;
//    - `no-scheduler`: the same app and database with no scheduler (this
//      script started in a child role), so a request only stores the task.
// 2. prepare_nodes then deploy_nodes of 10, 100 and 1,000 fake-lab nodes
//    (FAKE_LAB_STEP_MS=0) with the real orchestrator over a libSQL file,
//    driven step by step (advance in time order, a virtual clock jumping to
//    the next wake-up), counting every SQL statement the client is sent.
//
// Knobs: BENCH_PARTS (create,orchestrator), BENCH_NODES (10,100,1000),
// BENCH_DURATION (10 s), BENCH_WARMUP (2 s), BENCH_CONNECTIONS (10),
// BENCH_LOG_LEVEL (info: the servers log one line per request).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createClient, type Client, type InStatement } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { loadConfig } from '../src/core/config.ts';
import { createResilientClient } from '../src/db/libsql-client.ts';
import * as schema from '../src/db/schema/index.ts';
import { tasks } from '../src/db/schema/tasks.ts';
import type { Database, Db } from '../src/db/types.ts';
import { createLogger, type LogLevel } from '../src/core/log.ts';
import type { Scheduler } from '../src/orchestrator/scheduler.ts';
import { createTaskRecord } from '../src/orchestrator/task-store.ts';
import { createServices, orchestratorFor } from '../src/compose.ts';
import { storeDesign } from '../src/services/designs.ts';
import { effectiveSite } from '../src/design/site-design.ts';
import { positiveNumber } from './knobs.mjs';
import { processGroup } from './process-group.mjs';
import { generateSite } from './site-generator.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MIGRATIONS = join(ROOT, 'migrations');
const num = positiveNumber;
const DURATION = num('BENCH_DURATION', 10);
const WARMUP = num('BENCH_WARMUP', 2);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const LOG_LEVEL = (process.env.BENCH_LOG_LEVEL ?? 'info') as LogLevel;
const PARTS = (process.env.BENCH_PARTS ?? 'create,orchestrator').split(',');
const NODES = (process.env.BENCH_NODES ?? '10,100,1000').split(',').map(Number);
const ROLE = 'BENCH_TASKS_ROLE';
const DRAIN_LIMIT_S = 120;
const budgetS = 2 * (DURATION + WARMUP) + DRAIN_LIMIT_S + 60 + NODES.reduce((a, n) => a + 30 + n * 0.3, 0);

// ── statement counting ───────────────────────────────────────────────────

interface Counts {
  executes: number;
  batches: number;
  inBatches: number;
  verbs: Record<string, number>;
}
const zero = (): Counts => ({ executes: 0, batches: 0, inBatches: 0, verbs: {} });
const total = (c: Counts) => c.executes + c.inBatches;
function minus(a: Counts, b: Counts): Counts {
  const verbs: Record<string, number> = {};
  for (const [k, v] of Object.entries(a.verbs)) verbs[k] = v - (b.verbs[k] ?? 0);
  return { executes: a.executes - b.executes, batches: a.batches - b.batches, inBatches: a.inBatches - b.inBatches, verbs };
}

/** The production client (createResilientClient) with every statement counted, each one of a batch too. */
function countingClient(inner: Client, counts: Counts): Client {
  const note = (stmt: InStatement) => {
    const text = typeof stmt === 'string' ? stmt : stmt.sql;
    const verb = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? '?';
    counts.verbs[verb] = (counts.verbs[verb] ?? 0) + 1;
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'execute') {
        return (stmt: InStatement, args?: unknown) => {
          counts.executes++;
          note(stmt);
          return (target.execute as (...a: unknown[]) => unknown)(stmt, ...(args === undefined ? [] : [args]));
        };
      }
      if (prop === 'batch') {
        return (stmts: InStatement[], mode?: unknown) => {
          counts.batches++;
          counts.inBatches += stmts.length;
          stmts.forEach(note);
          return (target.batch as (...a: unknown[]) => unknown)(stmts, mode);
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// ── part 2: prepare_nodes + deploy_nodes in-process ──────────────────────

/** Due tasks in time order, as the timer queue keeps them (the earliest request per task wins). */
function virtualQueue() {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const due = new Map<string, number>();
  const scheduler: Scheduler = {
    async schedule(taskId, delayMs) {
      const at = now + delayMs;
      const known = due.get(taskId);
      if (known === undefined || at < known) due.set(taskId, at);
    },
  };
  const next = () => {
    let best: [string, number] | null = null;
    for (const entry of due) if (!best || entry[1] < best[1]) best = entry;
    if (best) {
      due.delete(best[0]);
      now = Math.max(now, best[1]);
    }
    return best?.[0] ?? null;
  };
  return { scheduler, next, clock: () => new Date(now), elapsed: (from: number) => now - from, get now() { return now; } };
}

async function orchestrate(n: number, dir: string) {
  const counts = zero();
  const file = join(dir, `nodes-${n}-${crypto.randomUUID()}.db`); // a fresh lab every run (the warm-up's too)
  const client = countingClient(createResilientClient({ url: `file:${file}`, timeout: 5000 }), counts);
  await client.execute('PRAGMA journal_mode=WAL');
  const drizzled = drizzle(client, { schema });
  await migrate(drizzled, { migrationsFolder: MIGRATIONS });
  const db = drizzled as unknown as Db;
  const database: Database = { db, kind: 'libsql', ping: async () => {}, close: async () => client.close() };
  const queue = virtualQueue();
  const config = loadConfig({ AUTH_MODE: 'none', FAKE_LAB_STEP_MS: '0' });
  const logger = createLogger({ level: 'error' });
  const services = createServices({ config, database, logger, clock: queue.clock, scheduler: queue.scheduler, designKey: 'ephemeral' });
  const orchestrator = orchestratorFor(services, 'bench');
  try {
    // Signaling boot actions would wait for simulated nodes that reach the
    // service over HTTP; this bench drives the orchestrator alone, so its
    // boot actions are non-signaling (contexts are still created and delivered).
    const text = generateSite(n).yaml.replaceAll('signaling: true', 'signaling: false');
    const stored = await storeDesign({ db, clock: queue.clock, siteDesign: services.siteDesign }, { text, format: 'yaml', createdBy: 'bench' });
    const ref = `design://${stored.designId}`;
    // The first step would otherwise parse and compile the design (bench:design measures that).
    const t = performance.now();
    await effectiveSite(services.siteDesign, ref);
    const compileMs = performance.now() - t;
    const rows: string[] = [];
    const all = { ms: 0, counts: zero(), steps: 0 };
    for (const action of ['prepare_nodes', 'deploy_nodes'] as const) {
      const before = structuredClone(counts);
      const v0 = queue.now;
      const t0 = performance.now();
      const row = await createTaskRecord({ db, clock: queue.clock }, { action, designRef: ref });
      await queue.scheduler.schedule(row.taskId, 0);
      const outcomes: Record<string, number> = {};
      for (let id = queue.next(); id; id = queue.next()) {
        const r = await orchestrator.advance(id);
        outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      }
      const ms = performance.now() - t0;
      const used = minus(counts, before);
      const [done] = await db.select().from(tasks).where(eq(tasks.taskId, row.taskId));
      if (done?.status !== 'complete' || done.resultStatus !== 'success' || done.resultSuccesses.length !== n) {
        throw new Error(`${action} of ${n} nodes ended ${done?.status}/${done?.resultStatus} with ${done?.resultSuccesses.length} successes`);
      }
      if ((outcomes['failed'] ?? 0) + (outcomes['lost'] ?? 0) > 0) throw new Error(`${action}: ${JSON.stringify(outcomes)}`);
      const steps = outcomes['stepped'] ?? 0;
      rows.push(line(n, action, ms, used, steps, queue.elapsed(v0)));
      all.ms += ms;
      all.steps += steps;
      all.counts = sum(all.counts, used);
    }
    rows.push(line(n, 'both', all.ms, all.counts, all.steps, null));
    return { rows, compileMs, perNode: { ms: all.ms / n, statements: total(all.counts) / n, batches: all.counts.batches / n } };
  } finally {
    await database.close();
  }
}

function sum(a: Counts, b: Counts): Counts {
  const verbs = { ...a.verbs };
  for (const [k, v] of Object.entries(b.verbs)) verbs[k] = (verbs[k] ?? 0) + v;
  return { executes: a.executes + b.executes, batches: a.batches + b.batches, inBatches: a.inBatches + b.inBatches, verbs };
}

function line(n: number, action: string, ms: number, c: Counts, steps: number, virtualMs: number | null): string {
  const per = (x: number) => (x / n).toFixed(2).padStart(7);
  const verbs = ['select', 'insert', 'update'].map((v) => `${v[0]}${c.verbs[v] ?? 0}`).join(' ');
  return (
    `${String(n).padStart(6)} ${action.padEnd(13)} ${ms.toFixed(0).padStart(7)} ${per(ms)} ${String(total(c)).padStart(7)} ` +
    `${per(total(c))} ${String(c.batches).padStart(6)} ${per(c.batches)} ${String(steps).padStart(6)}  ${verbs}` +
    (virtualMs === null ? '' : `  (lab time ${(virtualMs / 1000).toFixed(0)} s)`)
  );
}

async function orchestratorPart(dir: string) {
  console.log('\nprepare_nodes then deploy_nodes, FAKE_LAB_STEP_MS=0, 50 driver calls per step (the default)');
  console.log(' nodes action          wall ms ms/node   stmts stm/node batches bat/node  steps  statements by verb');
  const per: Array<{ n: number; ms: number; statements: number; batches: number }> = [];
  await orchestrate(10, dir); // warm-up (JIT, lazy imports), not shown
  for (const n of NODES) {
    const r = await orchestrate(n, dir);
    for (const row of r.rows) console.log(row);
    console.log(`${''.padStart(6)} (design compiled beforehand in ${r.compileMs.toFixed(0)} ms, not counted; ${load()})`);
    per.push({ n, ...r.perNode });
  }
  const base = per[0];
  if (!base) return;
  for (const p of per.slice(1)) {
    console.log(
      `per node, ${p.n} vs ${base.n} nodes: wall ×${(p.ms / base.ms).toFixed(2)}, statements ×${(p.statements / base.statements).toFixed(2)}, ` +
        `batches ×${(p.batches / base.batches).toFixed(2)}`,
    );
  }
}

// ── part 1: task creation over HTTP ──────────────────────────────────────

type Cannon = (opts: Record<string, unknown>) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}>;

interface Server {
  url: string;
  stop(): Promise<void>;
}
/** Servers running now, stopped by the time guard too. */
const running = new Set<() => Promise<void>>();

async function startServer(args: string[], env: Record<string, string>): Promise<Server> {
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), args, {
    cwd: ROOT,
    env: { ...process.env, DO_NOT_TRACK: '1', PORT: '0', HOST: '127.0.0.1', AUTH_MODE: 'none', AUTH_TOKENS: '', LOG_LEVEL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: tsx and its node child stop together
  });
  const group = processGroup(child);
  const exited = group.exited;
  const stop = async () => {
    await group.stop();
    running.delete(stop);
  };
  running.add(stop);
  let pending = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? ''; // request log lines are dropped
      for (const l of lines) {
        const m = /listening on (http:\/\/[^\s"]+)/.exec(l);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(`[server] ${chunk}`));
    void exited.then((code) => reject(new Error(`server exited (${String(code)}) before listening`)));
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { url, stop };
}

/** Child role: the app over the same kind of database, with no scheduler, so tasks are only stored. */
async function serveWithoutScheduler() {
  const { serve } = await import('@hono/node-server');
  const { createApp } = await import('../src/app.ts');
  const { openLibsqlDatabase } = await import('../src/db/libsql.ts');
  const config = loadConfig(process.env);
  const database = await openLibsqlDatabase({ url: config.DATABASE_URL, busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS, migrationsFolder: MIGRATIONS });
  const app = createApp(createServices({ config, database, logger: createLogger({ level: config.LOG_LEVEL }), designKey: 'ephemeral' }));
  serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => console.log(`listening on http://127.0.0.1:${info.port}`));
  process.once('SIGTERM', () => process.exit(0));
}

async function taskCounts(file: string): Promise<Record<string, number>> {
  const client = createClient({ url: `file:${file}` });
  try {
    const rs = await client.execute('select status, result_status, count(*) as n from tasks group by 1, 2');
    return Object.fromEntries(rs.rows.map((r) => [`${String(r['status'])}/${String(r['result_status'])}`, Number(r['n'])]));
  } finally {
    client.close();
  }
}
const live = (c: Record<string, number>) => Object.entries(c).filter(([k]) => !k.startsWith('complete/')).reduce((a, [, v]) => a + v, 0);
const count = (c: Record<string, number>) => Object.values(c).reduce((a, v) => a + v, 0);

async function creation(kind: 'server' | 'no-scheduler', dir: string, cannon: Cannon) {
  const file = join(dir, `create-${kind}.db`);
  const env = { DATABASE_URL: `file:${file}` };
  const server = kind === 'server' ? await startServer(['src/node.ts'], env) : await startServer(['bench/tasks.ts'], { ...env, [ROLE]: 'serve' });
  try {
    const res = await fetch(`${server.url}/api/v1.0/designs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-yaml' },
      body: generateSite(4).yaml,
    });
    if (res.status !== 201) throw new Error(`POST /designs answered ${res.status}: ${await res.text()}`);
    const { href } = (await res.json()) as { href: string };
    const opts = {
      url: `${server.url}/api/v1.0/tasks`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'validate_design', design_ref: href }),
      connections: CONNECTIONS,
    };
    await cannon({ ...opts, duration: WARMUP });
    const before = await taskCounts(file);
    const r = await cannon({ ...opts, duration: DURATION });
    const after = await taskCounts(file);
    if (r.errors || r.timeouts || r.non2xx) throw new Error(`${kind}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
    let tail = '';
    if (kind === 'server') {
      const ranDuring = count(after) - live(after) - (count(before) - live(before));
      const t0 = performance.now();
      let now = after;
      while (live(now) > 0 && performance.now() - t0 < DRAIN_LIMIT_S * 1000) {
        await new Promise((ok) => setTimeout(ok, 250));
        now = await taskCounts(file);
      }
      const drainS = (performance.now() - t0) / 1000;
      const bad = Object.keys(now).filter((k) => k !== 'complete/success');
      if (bad.length > 0) throw new Error(`tasks did not all end complete/success: ${JSON.stringify(now)}`);
      tail =
        `\n  tasks completed during the measured run: ${ranDuring} (${(ranDuring / DURATION).toFixed(0)}/s); ` +
        `backlog of ${live(after)} drained in ${drainS.toFixed(1)} s (${(live(after) / drainS).toFixed(0)}/s with no requests); ` +
        `final: ${JSON.stringify(now)}`;
    } else {
      tail = `\n  tasks stored: ${count(after)}, all ${JSON.stringify(Object.keys(after))}`;
    }
    console.log(
      `${kind.padEnd(13)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  ` +
        `(${r.requests.total} tasks created)${tail}`,
    );
    return r.requests.average;
  } finally {
    await server.stop();
  }
}

async function creationPart(dir: string) {
  const name: string = 'autocannon'; // untyped package: imported by name
  const cannon = ((await import(name)) as { default: Cannon }).default;
  console.log(
    `POST /api/v1.0/tasks {validate_design, design://<4-node design>}: ${CONNECTIONS} connections, ` +
      `${DURATION} s after ${WARMUP} s warm-up, server LOG_LEVEL=${LOG_LEVEL}`,
  );
  const executing = await creation('server', dir, cannon);
  console.log(`  ${load()}`);
  const storing = await creation('no-scheduler', dir, cannon);
  console.log(`  ${load()}`);
  console.log(`creation with execution / creation alone: ${(executing / storing).toFixed(2)}`);
}

// Other work on the machine skews every figure: say how busy it was.
const load = () => `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-bench-tasks-'));
  const guard = setTimeout(() => {
    console.error(`bench: over its ${budgetS.toFixed(0)} s budget, stopping`);
    void Promise.all([...running].map((stop) => stop())).finally(() => process.exit(2));
  }, budgetS * 1000);
  // The servers run in their own process groups: Ctrl-C must stop them too.
  process.once('SIGINT', () => void Promise.all([...running].map((stop) => stop())).finally(() => process.exit(130)));
  try {
    console.log(`node ${process.version}, ${cpus().length} CPU(s), ${load()}`);
    if (PARTS.includes('create')) await creationPart(dir);
    if (PARTS.includes('orchestrator')) await orchestratorPart(dir);
    console.log(`done, ${load()}`);
  } finally {
    clearTimeout(guard);
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.env[ROLE] === 'serve') {
  await serveWithoutScheduler();
} else {
  main().catch((err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  });
}
