import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSite } from '../../bench/site-generator.ts';
import { NODE_ENTRY, startServer, type Server } from '../helpers/spawn.ts';

// The embedded default for real: `tsx src/node.ts` on a libSQL file, the fake
// lab taking 200 ms per machine operation, and a process killed with SIGKILL
// in the middle of a deploy. Nothing of a task lives in the process: the next
// process on the same file picks the deploy up from its last saved step.

// No signaling boot actions: a kill after deploy_node has started loses the
// fake lab's in-memory node keys (the simulated machines' RAM), and a
// signaling action would then time out instead of reporting. Boot action
// reports across a restart are covered by real nodes, not the fake lab.
const generated = generateSite(4);
const site = { ...generated, yaml: generated.yaml.replaceAll('signaling: true', 'signaling: false') };
const WAIT_MS = 60_000;
const LIVE = `('requested','queued','running','terminating')`;

interface TaskBody {
  task_id: string;
  status: string;
  result: { status: string; successes: string[]; failures: string[] };
}

let dir: string;
let env: Record<string, string>;
let server: Server | undefined;
let token = '';
let db: Client;

async function start(): Promise<Server> {
  server = await startServer(NODE_ENTRY, env);
  token = (await readFile(join(dir, 'admin-token'), 'utf8')).trim();
  return server;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-tasks-e2e-'));
  env = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'd.db')}`,
    AUTH_MODE: 'token',
    ADMIN_TOKEN_FILE: join(dir, 'admin-token'),
    FAKE_LAB_STEP_MS: '200',
    TASK_LEASE_SECONDS: '5', // the minimum config.ts allows
    TASK_POLL_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'warn',
  };
  await start();
  db = createClient({ url: env.DATABASE_URL! });
});

afterAll(async () => {
  db?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server!.url}/api/v1.0${path}`, { ...init, headers: { 'X-Auth-Token': token, ...init.headers } });
}

async function createTask(action: string, designRef: string): Promise<string> {
  const res = await api('/tasks', {
    method: 'POST',
    body: JSON.stringify({ action, design_ref: designRef }),
    headers: { 'Content-Type': 'application/json' },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as TaskBody).task_id;
}

async function getTask(id: string): Promise<TaskBody> {
  const res = await api(`/tasks/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as TaskBody;
}

async function untilComplete(id: string): Promise<TaskBody> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const task = await getTask(id);
    if (task.status === 'complete') return task;
    if (Date.now() > deadline) throw new Error(`task ${id} still ${task.status}:\n${server!.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The latest instant at which a live task is due or its lease ends, from the database file itself. */
async function lastPendingInstant(): Promise<number> {
  const rs = await db.execute(
    `select max(max(coalesce(lease_until, 0), coalesce(next_run_at, 0))) as t from tasks where status in ${LIVE}`,
  );
  return Number(rs.rows[0]?.t ?? 0);
}

const sorted = (xs: string[]) => [...xs].sort();

describe('tasks on the embedded default (tsx src/node.ts)', { timeout: 2 * WAIT_MS }, () => {
  let ref = '';
  let deployId = '';

  it('prepares every node of a stored design', async () => {
    const res = await api('/designs', { method: 'POST', body: site.yaml, headers: { 'Content-Type': 'application/x-yaml' } });
    expect(res.status).toBe(201);
    ref = ((await res.json()) as { href: string }).href;
    const task = await untilComplete(await createTask('prepare_nodes', ref));
    expect(task.result.status).toBe('success');
    expect(sorted(task.result.successes)).toEqual(site.nodeNames);
  });

  it('resumes a deploy after the process is killed with SIGKILL in the middle of it', async () => {
    deployId = await createTask('deploy_nodes', ref);
    // Let the deploy get under way: its first subtasks exist and have started.
    const started = { sql: `select count(*) as n from tasks where parent_task_id = ? and status <> 'queued'`, args: [deployId] };
    await expect
      .poll(async () => Number((await db.execute(started)).rows[0]?.n), { timeout: 10_000, interval: 50 })
      .toBeGreaterThan(0);
    expect(await server!.kill('SIGKILL')).toBe('SIGKILL');
    const left = await db.execute({ sql: 'select status from tasks where task_id = ?', args: [deployId] });
    expect(left.rows[0]?.status).not.toBe('complete');

    // The start-up sweep takes tasks that are due and whose lease has ended.
    const wait = (await lastPendingInstant()) + 50 - Date.now();
    expect(wait).toBeLessThan(6_000);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await start();
    const task = await untilComplete(deployId);
    expect(task.result).toMatchObject({ status: 'success', failures: [] });
    expect(sorted(task.result.successes)).toEqual(site.nodeNames);
    const machines = (await (await api('/nodes')).json()) as Array<{ status_name: string }>;
    expect(machines.map((m) => m.status_name)).toEqual(site.nodeNames.map(() => 'Deployed'));
  });

  it('pages the task list with limit and X-Next-Cursor', async () => {
    const all = (await (await api('/tasks?limit=1000')).json()) as TaskBody[];
    expect(all.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let query = '/tasks?limit=2';
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(all.length);
      const res = await api(query);
      const page = (await res.json()) as TaskBody[];
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((t) => t.task_id));
      const cursor = res.headers.get('x-next-cursor');
      if (!cursor) break;
      expect(res.headers.get('link')).toContain(`cursor=${cursor}`);
      query = `/tasks?limit=2&cursor=${encodeURIComponent(cursor)}`;
    }
    expect(seen).toEqual(all.map((t) => t.task_id));
  });

  it('removes every completed task with DELETE /tasks?days=0', async () => {
    const before = (await db.execute('select count(*) as n from tasks')).rows[0]?.n;
    const res = await api('/tasks?days=0', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { deleted_tasks: number }).deleted_tasks).toBe(Number(before));
    expect(await (await api('/tasks')).json()).toEqual([]);
    expect((await api(`/tasks/${deployId}`)).status).toBe(404);
    // Their build data goes with them.
    expect((await api(`/nodes/${site.nodeNames[0]}/builddata`)).status).toBe(404);
  });
});
