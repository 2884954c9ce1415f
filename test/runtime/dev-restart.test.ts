import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAdminToken, devProject, startDev } from '../helpers/dev-server.ts';
import { ROOT, type Spawned } from '../helpers/spawn.ts';

// `npm run dev` (scripts/dev.mjs): the Worker under `wrangler dev`, in a
// copy of the project's layout in a temporary folder (so .dev.vars, .data/
// and .wrangler/state are the test's own). wrangler dev runs no cron
// trigger and keeps Queue messages in memory, so a task that was running
// when wrangler stopped is only picked up again by the sweep dev.mjs runs
// itself; and a Worker cannot know its own address, so the simulated nodes
// reach it only through the PUBLIC_URL dev.mjs sets.

const WAIT_MS = 90_000;
const DEV_ARGS = ['--var', 'FAKE_LAB_STEP_MS:1500', '--var', 'TASK_POLL_INTERVAL_SECONDS:1', '--var', 'TASK_LEASE_SECONDS:5', '--var', 'LOG_LEVEL:warn', '--var', 'BOOTACTION_FINAL_STATUS_TIMEOUT:30'];

interface TaskBody {
  task_id: string;
  status: string;
  updated: string;
  result: { status: string; successes: string[]; failures: string[] };
}

let dir = '';
let port = 0;
let token = '';
let dev: Spawned | undefined;

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/v1.0${path}`, { ...init, headers: { 'X-Auth-Token': token, ...init.headers } });
}

async function task(id: string): Promise<TaskBody> {
  return (await (await api(`/tasks/${id}`)).json()) as TaskBody;
}

async function create(action: string, ref: string): Promise<string> {
  const res = await api('/tasks', { method: 'POST', body: JSON.stringify({ action, design_ref: ref }), headers: { 'Content-Type': 'application/json' } });
  expect(res.status).toBe(201);
  return ((await res.json()) as TaskBody).task_id;
}

async function until(id: string, wanted: (t: TaskBody) => boolean, what: string): Promise<TaskBody> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const current = await task(id);
    if (wanted(current)) return current;
    if (Date.now() > deadline) throw new Error(`task ${id} is ${current.status}, never ${what}:\n${dev?.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  ({ dir, port } = await devProject('drydock-dev-'));
});

afterAll(async () => {
  await dev?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run dev', { timeout: 5 * WAIT_MS }, () => {
  it('resumes a running task after a restart, and its simulated nodes reach it at PUBLIC_URL', async () => {
    dev = await startDev(dir, port, DEV_ARGS, WAIT_MS);
    token = await devAdminToken(dir);
    const site = await readFile(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8');
    const stored = await api('/designs', { method: 'POST', body: site, headers: { 'Content-Type': 'application/x-yaml' } });
    expect(stored.status).toBe(201);
    const ref = ((await stored.json()) as { href: string }).href;

    const prepare = await create('prepare_nodes', ref);
    await until(prepare, (t) => t.status === 'running', 'running');
    // Ctrl-C, as an operator stops it, while the task is mid-way.
    await dev.stop();
    const stoppedAt = Date.now();
    expect(await task(prepare).catch(() => null)).toBeNull();
    dev = await startDev(dir, port, DEV_ARGS, WAIT_MS);
    const prepared = await until(prepare, (t) => t.status === 'complete', 'complete');
    expect(prepared.result.status).toBe('success');
    // Not done before the stop: its last step ran in the restarted Worker.
    expect(Date.parse(prepared.updated)).toBeGreaterThan(stoppedAt);

    const deploy = await create('deploy_nodes', ref);
    const done = await until(deploy, (t) => t.status === 'complete', 'complete');
    expect([done.result.status, done.result.failures]).toEqual(['success', []]);
  });
});
