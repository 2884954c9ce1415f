import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSite } from '../../bench/site-generator.ts';
import { bundleWorker, startWorker, type WorkerBundle, type WorkerInstance } from '../helpers/worker-bundle.ts';

// The whole deploy inside workerd: queue messages drive every step, and the
// fake lab's simulated nodes reach the worker over HTTP at its PUBLIC_URL
// (startWorker picks the port beforehand and binds it). The contexts stay in
// the isolate's memory between queue deliveries, as Miniflare runs one isolate.

const TOKEN = 'workerd-bootaction-admin';
const auth = { 'X-Auth-Token': TOKEN };
const WAIT_MS = 60_000;
const site = generateSite(2);

interface TaskBody {
  task_id: string;
  status: string;
  result: { status: string; successes: string[]; failures: string[]; details: { messageList: Array<{ message: string; context_type: string; error: boolean }> } };
}

let bundle: WorkerBundle;
let worker: WorkerInstance;

beforeAll(async () => {
  bundle = await bundleWorker();
  worker = await startWorker(
    bundle.scriptPath,
    {
      AUTH_MODE: 'token',
      AUTH_TOKENS: `ops:admin:${createHash('sha256').update(TOKEN).digest('hex')}`,
      LOG_LEVEL: 'warn',
      FAKE_LAB_STEP_MS: '0',
      TASK_POLL_INTERVAL_SECONDS: '1',
      BOOTACTION_FINAL_STATUS_TIMEOUT: '30',
    },
    { consumeQueue: true },
  );
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
  await bundle?.cleanup();
});

async function run(action: string, ref: string): Promise<TaskBody> {
  const res = await worker.fetch('/api/v1.0/tasks', {
    method: 'POST',
    body: JSON.stringify({ action, design_ref: ref }),
    headers: { ...auth, 'Content-Type': 'application/json' },
  });
  expect(res.status).toBe(201);
  const id = ((await res.json()) as TaskBody).task_id;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const task = (await (await worker.fetch(`/api/v1.0/tasks/${id}`, { headers: auth })).json()) as TaskBody;
    if (task.status === 'complete') return task;
    if (Date.now() > deadline) throw new Error(`task ${id} still ${task.status}:\n${worker.output.join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('boot actions end to end in workerd', { timeout: 3 * WAIT_MS }, () => {
  it('deploys, and every simulated node fetches its files and signals Success', async () => {
    const stored = await worker.fetch('/api/v1.0/designs', {
      method: 'POST',
      body: site.yaml,
      headers: { ...auth, 'Content-Type': 'application/x-yaml' },
    });
    expect(stored.status).toBe(201);
    const ref = ((await stored.json()) as { href: string }).href;
    expect((await run('prepare_nodes', ref)).result.status).toBe('success');
    const deploy = await run('deploy_nodes', ref);
    expect([deploy.result.status, [...deploy.result.successes].sort(), deploy.result.failures]).toEqual(['success', site.nodeNames, []]);
    const fromNodes = deploy.result.details.messageList.filter((m) => m.context_type === 'bootaction');
    expect(fromNodes.length).toBe(2 * site.nodeNames.length);
    for (const node of site.nodeNames) expect(fromNodes.map((m) => m.message)).toContain(`Boot action hello-world ran on ${node}.`);
  });
});
