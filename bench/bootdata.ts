// `npm run bench:bootdata`: the node-facing boot action endpoints over
// loopback, on the Node server (tsx src/node.ts) and under `wrangler dev`
// (workerd, local D1), one after the other. Prints figures; asserts nothing
// about speed, only that every response was 2xx.
//
// Each server's database is seeded before it starts, in this process, with
// the same code a deployment runs (storeDesign, createTaskRecord,
// createBootActionContexts): a BENCH_FLEET-node (200) design whose one boot action gives
// every node 10 assets (5 units, 5 files, inline base64 data through
// base64_decode/utf8_decode/template), and a deploy task marked complete so
// no scheduler or sweep picks it up. That yields node00001's node key and
// action id without running a deployment, and works for D1 too (its local
// SQLite file is written before `wrangler dev` opens it).
//
// Cases, each a warm-up then a measured autocannon run:
//   versions        GET /versions (no I/O), the runtime's floor for ratios
//   bare tar+gzip   (Node only) the ceiling: bench/bare-tarball-server.ts, a
//                   plain node:http server answering node00001's files
//                   (fetched once from the server under test) tarred and
//                   gzipped per request; the script prints files / ceiling
//   units / files   GET /api/v1.0/bootactions/nodes/node00001/units|files
//   files 304       the same with the files' ETag in If-None-Match
//   signal ×1 fleet POST 1 detail, no status, to each of the site's BENCH_FLEET
//                   (200) nodes' actions in turn: every action's own messages
//                   stay few, as in a deploy under the default message cap
//   signal ×1       POST /api/v1.0/bootactions/<id>/ with 1 detail, no status
//   signal ×100     the same with 100 details (MAX_DETAILS, the per-POST cap)
//   signal ×1 again after every row the runs before left on the task
// With no status the action stays open; each detail becomes one result
// message of the deploy task. The servers run with BOOTACTION_MAX_MESSAGES
// lifted to its maximum (1,000,000) so every POST is accepted and the write
// path is what is measured; each signal also counts the action's messages
// (a scan of the task's messages), which the last case shows at ≈100,000.
//
// Knobs: BENCH_TARGETS (node,wrangler), BENCH_DURATION (10 s),
// BENCH_WARMUP (2 s), BENCH_CONNECTIONS (10), BENCH_LOG_LEVEL (info),
// BENCH_CASES (a comma-separated subset of the case names),
// BENCH_SERVER_NODE_ARGS (node flags of the Node server, e.g. to profile it).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { offlineEnv } from '../scripts/offline-env.mjs';
import { deriveActionKey } from '../src/bootaction/keys.ts';
import { readTarball } from '../src/bootaction/tarball.ts';
import { loadConfig } from '../src/core/config.ts';
import * as schema from '../src/db/schema/index.ts';
import { resultMessages, tasks } from '../src/db/schema/tasks.ts';
import type { Database, Db } from '../src/db/types.ts';
import { createLogger } from '../src/core/log.ts';
import { createTaskRecord } from '../src/orchestrator/task-store.ts';
import { createBootActionContexts } from '../src/services/bootactions/index.ts';
import { createServices } from '../src/compose.ts';
import { storeDesign } from '../src/services/designs.ts';
import { effectiveSite } from '../src/design/site-design.ts';
import { positiveNumber } from './knobs.mjs';
import { processGroup } from './process-group.mjs';
import { benchDesign } from './bootdata-design.ts';
import { closedPort } from '../test/helpers/origin.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const num = positiveNumber;
const DURATION = num('BENCH_DURATION', 10);
const WARMUP = num('BENCH_WARMUP', 2);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const TARGETS = (process.env.BENCH_TARGETS ?? 'node,wrangler').split(',');
const NODE = 'node00001';
const MAX_MESSAGES = '1000000'; // the setting's maximum: the bench measures writes, not the cap
const CASES = 9;
// Nodes of the bench site: the fleet whose boot actions the fleet case signals.
const FLEET = num('BENCH_FLEET', 200);
const budgetS = TARGETS.length * (CASES * (DURATION + WARMUP) + 90);

// ── seeding ──────────────────────────────────────────────────────────────

interface Seeded {
  taskId: string;
  nodeKey: string;
  actionId: string;
  actionKey: string;
  /** The boot action of every node of the site (id and key), for the fleet case. */
  fleet: Array<{ actionId: string; actionKey: string }>;
}

/** Stores the design, a finished deploy task and the boot action contexts in a SQLite file. */
async function seed(file: string, applyMigrations: boolean): Promise<Seeded> {
  const client = createClient({ url: `file:${file}` });
  try {
    const db = drizzle(client, { schema }) as unknown as Db;
    if (applyMigrations) await migrate(drizzle(client, { schema }), { migrationsFolder: join(ROOT, 'migrations') });
    const database: Database = { db, kind: 'libsql', ping: async () => {}, close: async () => {} };
    const services = createServices({ config: loadConfig({ AUTH_MODE: 'none' }), database, logger: createLogger({ level: 'error' }), designKey: 'ephemeral' });
    const ctx = { db, clock: () => new Date(), config: services.config, siteDesign: services.siteDesign };
    const stored = await storeDesign(ctx, { text: benchDesign(FLEET), format: 'yaml', createdBy: 'bench' });
    const designRef = `design://${stored.designId}`;
    const site = await effectiveSite(services.siteDesign, designRef);
    // Pinned, as a deploy task pins its design at its first step.
    const task = await createTaskRecord(ctx, { action: 'deploy_nodes', designRef, designContentHash: stored.contentHash });
    const keys = await createBootActionContexts(ctx, { taskId: task.taskId, site, nodeNames: [...site.nodes.keys()] });
    await db.update(tasks).set({ status: 'complete', resultStatus: 'success', nextRunAt: null }).where(eq(tasks.taskId, task.taskId));
    const entry = keys.get(NODE);
    const action = entry?.actions[0];
    if (!entry || !action) throw new Error(`no boot action context for ${NODE}`);
    if (site.bootActions.get(action.name)?.assets.length !== 10) throw new Error('the bench boot action must have 10 assets');
    const fleet = await Promise.all(
      [...keys.values()].map(async (k) => ({ actionId: k.actions[0]!.actionId, actionKey: await deriveActionKey(k.nodeKey, k.actions[0]!.actionId) })),
    );
    return { taskId: task.taskId, nodeKey: entry.nodeKey, actionId: action.actionId, actionKey: await deriveActionKey(entry.nodeKey, action.actionId), fleet };
  } finally {
    client.close();
  }
}

async function messageCount(file: string, taskId: string): Promise<number> {
  const client = createClient({ url: `file:${file}` });
  try {
    const db = drizzle(client);
    const [row] = await db.select({ n: sql<number>`count(*)` }).from(resultMessages).where(eq(resultMessages.taskId, taskId));
    return Number(row?.n ?? 0);
  } finally {
    client.close();
  }
}

// ── servers ──────────────────────────────────────────────────────────────

interface Server {
  url: string;
  stop(): Promise<void>;
}
const running = new Set<() => Promise<void>>();

/**
 * Starts a server in its own process group. Its output goes to a log file in
 * the temp folder, not through a pipe into this process: this process runs
 * the load generator, and a pipe it cannot drain fast enough stalls the
 * server on every log line (the server's writes to a pipe are synchronous).
 * Lines with "error" are shown when the server stops.
 */
function launch(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): { stop: () => Promise<void>; exited: Promise<unknown> } {
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  const group = processGroup(child);
  const exited = group.exited;
  const stop = async () => {
    await group.stop();
    running.delete(stop);
    for (const line of readFileSync(logFile, 'utf8').split('\n')) {
      if (/error/i.test(line) && !line.includes('AUTH_MODE=none')) process.stderr.write(`[server] ${line.slice(0, 500)}\n`);
    }
  };
  running.add(stop);
  return { stop, exited };
}

/** Polls /versions until the server answers (both runtimes print their address differently). */
async function ready(url: string, exited: Promise<unknown>, stop: () => Promise<void>, limitS: number): Promise<Server> {
  let gone: unknown = null;
  void exited.then((code) => (gone = code ?? 'exited'));
  const until = Date.now() + limitS * 1000;
  while (Date.now() < until && gone === null) {
    const ok = await fetch(`${url}/versions`).then((r) => r.ok, () => false);
    if (ok) return { url, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(gone !== null ? `server exited (${String(gone)}) before answering` : `server did not answer within ${limitS} s`);
}

async function startNode(file: string, dir: string): Promise<Server> {
  const port = await closedPort(); // PORT=0 works too, but then the address must be read from the log
  const env = offlineEnv({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${file}`, AUTH_MODE: 'none', AUTH_TOKENS: '', FAKE_LAB_AGENT: 'off', LOG_LEVEL, BOOTACTION_MAX_MESSAGES: MAX_MESSAGES });
  // As `npm start` runs it; e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { stop, exited } = launch(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/node.ts'], env, join(dir, 'node.log'));
  return ready(`http://127.0.0.1:${port}`, exited, stop, 30);
}

const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler');

function d1File(persist: string): string {
  const folder = join(persist, 'v3/d1/miniflare-D1DatabaseObject');
  const name = readdirSync(folder).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (!name) throw new Error(`no D1 database file in ${folder}`);
  return join(folder, name);
}

/** A local D1 database with the migrations applied, as `npm run dev` prepares it. */
function prepareD1(persist: string): string {
  const applied = spawnSync(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
    cwd: ROOT,
    env: offlineEnv({ CI: '1' }), // CI: no confirmation prompt
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (applied.status !== 0) throw new Error(`wrangler d1 migrations apply failed: ${applied.stderr || applied.stdout}`);
  return d1File(persist);
}

async function startWrangler(persist: string, dir: string): Promise<Server> {
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const vars = [`AUTH_MODE:none`, `FAKE_LAB_AGENT:off`, `PUBLIC_URL:${url}`, `LOG_LEVEL:${LOG_LEVEL}`, `BOOTACTION_MAX_MESSAGES:${MAX_MESSAGES}`].flatMap((v) => ['--var', v]);
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--local', '--persist-to', persist, ...vars];
  const { stop, exited } = launch(WRANGLER, args, offlineEnv(), join(dir, 'wrangler.log'));
  return ready(url, exited, stop, 60);
}

// ── measuring ────────────────────────────────────────────────────────────

interface Result {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx'?: number;
  '3xx'?: number;
}
type Cannon = (opts: Record<string, unknown>) => Promise<Result>;

function signalBody(details: number): string {
  const list = Array.from({ length: details }, (_, i) => ({ message: `bench detail ${i}`, error: false }));
  return JSON.stringify({ details: list });
}

/** node00001's files as the server under test renders them, served bare by bench/bare-tarball-server.ts. */
async function startCeiling(server: Server, keys: Seeded, dir: string): Promise<Server> {
  const res = await fetch(`${server.url}/api/v1.0/bootactions/nodes/${NODE}/files`, { headers: { 'x-bootaction-key': keys.nodeKey } });
  if (!res.ok) throw new Error(`files: HTTP ${res.status}`);
  const entries = await readTarball(new Uint8Array(await res.arrayBuffer()));
  const list = join(dir, 'files.json');
  await writeFile(list, JSON.stringify(entries.map((e) => ({ path: e.path, mode: e.mode, content: Buffer.from(e.content).toString('base64') }))));
  const port = await closedPort();
  const { stop, exited } = launch(join(ROOT, 'node_modules/.bin/tsx'), ['bench/bare-tarball-server.ts', String(port), list], offlineEnv(), join(dir, 'bare.log'));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (await fetch(url).then((r) => r.ok, () => false)) return { url, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the bare tar+gzip server did not answer (${String(await Promise.race([exited, 'running']))})`);
}

async function measure(target: string, server: Server, keys: Seeded, ceiling: Server | null): Promise<Array<[string, Result]>> {
  const name: string = 'autocannon'; // untyped package: imported by name
  const cannon = ((await import(name)) as { default: Cannon }).default;
  const get = (type: string) => ({ url: `${server.url}/api/v1.0/bootactions/nodes/${NODE}/${type}`, headers: { 'x-bootaction-key': keys.nodeKey } });
  const post = (details: number) => ({
    url: `${server.url}/api/v1.0/bootactions/${keys.actionId}/`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-bootaction-key': keys.actionKey },
    body: signalBody(details),
  });
  const filesEtag = (await fetch(get('files').url, { headers: get('files').headers })).headers.get('etag') ?? '';
  const cases: Array<[string, Record<string, unknown>]> = [
    ['versions', { url: `${server.url}/versions` }], // no I/O: the runtime's floor
    ...(ceiling ? [['bare tar+gzip', { url: ceiling.url }] as [string, Record<string, unknown>]] : []),
    ['files', get('files')],
    ['units', get('units')],
    ['files 304', { ...get('files'), headers: { ...get('files').headers, 'if-none-match': filesEtag } }],
    // One detail to each node's action in turn (each connection walks the
    // fleet): a deploy's signals, each action's messages few, as under the
    // default cap.
    [
      'signal ×1 fleet',
      {
        url: server.url,
        requests: keys.fleet.map((a) => ({
          method: 'POST',
          path: `/api/v1.0/bootactions/${a.actionId}/`,
          headers: { 'content-type': 'application/json', 'x-bootaction-key': a.actionKey },
          body: signalBody(1),
        })),
      },
    ],
    ['signal ×1', post(1)],
    ['signal ×100', post(100)],
    ['signal ×1 again', post(1)],
  ];
  const out: Array<[string, Result]> = [];
  const only = process.env.BENCH_CASES?.split(',');
  for (const [label, opts] of cases.filter(([label]) => !only || only.includes(label))) {
    await cannon({ ...opts, connections: CONNECTIONS, duration: WARMUP });
    const r = await cannon({ ...opts, connections: CONNECTIONS, duration: DURATION });
    // 304s are what that case asks for; autocannon counts them as non-2xx.
    const unexpected = label === 'files 304' ? r.non2xx - (r['3xx'] ?? 0) + (r['2xx'] ?? 0) : r.non2xx;
    if (r.errors || r.timeouts || unexpected) throw new Error(`${target} ${label}: ${r.errors} errors, ${r.timeouts} timeouts, ${unexpected} unexpected statuses`);
    out.push([label, r]);
    console.log(
      `${target.padEnd(9)} ${label.padEnd(16)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p50 ${String(r.latency.p50).padStart(3)} ms  ` +
        `p99 ${String(r.latency.p99).padStart(4)} ms  (${r.requests.total} requests; ${load()})`,
    );
  }
  return out;
}

const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;

async function runTarget(target: string, dir: string): Promise<void> {
  const persist = join(dir, 'wrangler');
  const file = target === 'node' ? join(dir, 'node.db') : prepareD1(persist);
  // On Node the server finds the migrations applied; on D1 wrangler applied them.
  const keys = await seed(file, target === 'node');
  const server = target === 'node' ? await startNode(file, dir) : await startWrangler(persist, dir);
  let ceiling: Server | null = null;
  try {
    if (target === 'node') ceiling = await startCeiling(server, keys, dir);
    const results = new Map(await measure(target, server, keys, ceiling));
    const bare = results.get('bare tar+gzip')?.requests.average;
    const files = results.get('files')?.requests.average;
    if (bare && files) console.log(`${target.padEnd(9)} files / bare tar+gzip: ${((100 * files) / bare).toFixed(0)} % (goal: at least 70 %)`);
  } finally {
    await ceiling?.stop();
    await server.stop();
  }
  console.log(`${target.padEnd(9)} result messages on the deploy task afterwards: ${await messageCount(file, keys.taskId)}`);
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-bench-bootdata-'));
  const guard = setTimeout(() => {
    console.error(`bench: over its ${budgetS} s budget, stopping`);
    void Promise.all([...running].map((stop) => stop())).finally(() => process.exit(2));
  }, budgetS * 1000);
  process.once('SIGINT', () => void Promise.all([...running].map((stop) => stop())).finally(() => process.exit(130)));
  try {
    console.log(
      `node ${process.version}, ${cpus().length} CPU(s), ${CONNECTIONS} connections, ${DURATION} s per case after ${WARMUP} s warm-up, ` +
        `server LOG_LEVEL=${LOG_LEVEL}, DATABASE_SYNCHRONOUS=${process.env.DATABASE_SYNCHRONOUS ?? 'normal'}; ${NODE} has 10 assets (5 units, 5 files); Drydock: ~54 units req/s (18 ms each)`,
    );
    for (const target of TARGETS) {
      try {
        await runTarget(target, dir);
      } catch (err) {
        console.error(`${target}: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
      }
    }
  } finally {
    clearTimeout(guard);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
