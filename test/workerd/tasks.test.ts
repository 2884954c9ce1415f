import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSite } from '../../bench/site-generator.ts';
import { bundleWorker, startWorker, type WorkerBundle, type WorkerInstance } from '../helpers/worker-bundle.ts';

// Tasks inside workerd: POST /tasks sends a Queue message, the worker's own
// queue consumer calls advance for each step, and every later step is another
// message. Nothing here drives the orchestrator directly: if the consumer were
// not bound (or not working), no task would ever leave `queued`.

const TOKEN = 'workerd-task-admin';
const auth = { 'X-Auth-Token': TOKEN };
const BINDINGS = {
  AUTH_MODE: 'token',
  AUTH_TOKENS: `ops:admin:${createHash('sha256').update(TOKEN).digest('hex')}`,
  LOG_LEVEL: 'warn',
  FAKE_LAB_STEP_MS: '0',
  TASK_POLL_INTERVAL_SECONDS: '1',
};
const WAIT_MS = 60_000;
const site = generateSite(4);
const FAILING = site.nodeNames[2]!;

interface TaskBody {
  task_id: string;
  action: string;
  status: string;
  subtask_id_list: string[];
  result: { status: string; successes: string[]; failures: string[] };
}

let bundle: WorkerBundle;
let healthy: WorkerInstance;
let failing: WorkerInstance;

beforeAll(async () => {
  bundle = await bundleWorker();
  // Two workers, two D1 databases: the fake lab of one never sees the other's failure.
  [healthy, failing] = await Promise.all([
    startWorker(bundle.scriptPath, BINDINGS, { consumeQueue: true }),
    startWorker(bundle.scriptPath, { ...BINDINGS, FAKE_LAB_FAIL: `${FAILING}:deploy` }, { consumeQueue: true }),
  ]);
}, 60_000);

afterAll(async () => {
  await healthy?.dispose();
  await failing?.dispose();
  await bundle?.cleanup();
});

async function storeSite(worker: WorkerInstance): Promise<string> {
  const res = await worker.fetch('/api/v1.0/designs', {
    method: 'POST',
    body: site.yaml,
    headers: { ...auth, 'Content-Type': 'application/x-yaml' },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { href: string }).href;
}

async function getJson<T>(worker: WorkerInstance, path: string): Promise<T> {
  const res = await worker.fetch(path, { headers: auth });
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as T;
}

/** Creates a task and polls it (as an operator would) until it completes. */
async function runTask(worker: WorkerInstance, action: string, designRef: string): Promise<TaskBody> {
  const res = await worker.fetch('/api/v1.0/tasks', {
    method: 'POST',
    body: JSON.stringify({ action, design_ref: designRef }),
    headers: { ...auth, 'Content-Type': 'application/json' },
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as TaskBody;
  expect(res.headers.get('location')).toBe(`/api/v1.0/tasks/${created.task_id}`);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const task = await getJson<TaskBody>(worker, `/api/v1.0/tasks/${created.task_id}`);
    if (task.status === 'complete') return task;
    if (Date.now() > deadline) {
      throw new Error(`${action} still ${task.status} after ${WAIT_MS} ms:\n${JSON.stringify(task)}\n${worker.output.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sorted = (xs: string[]) => [...xs].sort();

describe('tasks in workerd through the Queue consumer', { timeout: 2 * WAIT_MS + 10_000 }, () => {
  let ref = '';

  it('runs validate_design to success', async () => {
    ref = await storeSite(healthy);
    const task = await runTask(healthy, 'validate_design', ref);
    expect(task.result.status).toBe('success');
  });

  it('prepares then deploys every node of a 4-node site', async () => {
    const prepared = await runTask(healthy, 'prepare_nodes', ref);
    expect(prepared.result.status).toBe('success');
    expect(sorted(prepared.result.successes)).toEqual(site.nodeNames);
    expect(prepared.subtask_id_list.length).toBeGreaterThan(0);

    const deployed = await runTask(healthy, 'deploy_nodes', ref);
    expect(deployed.result).toMatchObject({ status: 'success', failures: [] });
    expect(sorted(deployed.result.successes)).toEqual(site.nodeNames);
    expect(deployed.subtask_id_list.length).toBeGreaterThan(0);
    // Every subtask the tree names exists and finished too.
    for (const id of deployed.subtask_id_list) {
      expect((await getJson<TaskBody>(healthy, `/api/v1.0/tasks/${id}`)).status).toBe('complete');
    }
  });

  it('lists the machines as Deployed', async () => {
    const machines = await getJson<Array<{ hostname: string; status_name: string }>>(healthy, '/api/v1.0/nodes');
    expect(sorted(machines.map((m) => m.hostname))).toEqual(site.nodeNames);
    expect(machines.every((m) => m.status_name === 'Deployed')).toBe(true);
  });

  it('serves the lshw build data collected at commissioning', async () => {
    const node = site.nodeNames[0]!;
    const records = await getJson<Array<{ node_name: string; generator: string; data_element: string }>>(
      healthy,
      `/api/v1.0/nodes/${node}/builddata?latest=true`,
    );
    const lshw = records.find((r) => r.generator === 'lshw');
    expect(lshw?.node_name).toBe(node);
    expect(JSON.parse(lshw!.data_element)).toMatchObject({ id: node, class: 'system' });
  });

  it('gives partial_success with the node whose deploy is made to fail', async () => {
    const failingRef = await storeSite(failing);
    expect((await runTask(failing, 'prepare_nodes', failingRef)).result.status).toBe('success');
    const deployed = await runTask(failing, 'deploy_nodes', failingRef);
    expect(deployed.result.status).toBe('partial_success');
    expect(deployed.result.failures).toEqual([FAILING]);
    expect(sorted(deployed.result.successes)).toEqual(site.nodeNames.filter((n) => n !== FAILING));
  });

  it('refuses a second node task on claimed nodes with 409 until the first is terminated on D1', async () => {
    const ref = await storeSite(failing);
    const post = (action: string) =>
      failing.fetch('/api/v1.0/tasks', {
        method: 'POST',
        body: JSON.stringify({ action, design_ref: ref }),
        headers: { ...auth, 'Content-Type': 'application/json' },
      });
    const first = await post('deploy_nodes');
    expect(first.status).toBe(201);
    const id = ((await first.json()) as TaskBody).task_id;
    const refused = await post('destroy_nodes');
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { message: string }).message).toContain(`Task ${id} (deploy_nodes)`);
    const stop = await failing.fetch(`/api/v1.0/tasks/${id}/terminate`, { method: 'POST', headers: auth });
    expect([202, 409]).toContain(stop.status); // 409 only if the deploy already finished
    const deadline = Date.now() + WAIT_MS;
    let task = await getJson<TaskBody & { terminated_by: string | null }>(failing, `/api/v1.0/tasks/${id}`);
    while (task.status !== 'terminated' && task.status !== 'complete' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      task = await getJson(failing, `/api/v1.0/tasks/${id}`);
    }
    if (stop.status === 202) expect([task.status, task.terminated_by]).toEqual(['terminated', 'ops']);
    expect((await post('destroy_nodes')).status).toBe(201);
    // The top-level list reads its partial index on D1 too, subtasks left out.
    const top = await getJson<Array<TaskBody & { parent_task_id: string | null }>>(failing, '/api/v1.0/tasks?top_level=true&limit=1000');
    expect(top.map((t) => t.task_id)).toContain(id);
    expect(top.every((t) => t.parent_task_id === null)).toBe(true);
    const all = await getJson<TaskBody[]>(failing, '/api/v1.0/tasks?limit=1000');
    expect(all.length).toBeGreaterThan(top.length);
  });

  it('runs the cron sweep without error once nothing is left to do', async () => {
    const worker = await healthy.mf.getWorker();
    const result = await worker.scheduled({ cron: '* * * * *' });
    expect(result.outcome).toBe('ok');
  });
});
