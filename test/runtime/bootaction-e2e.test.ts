import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSite } from '../../bench/site-generator.ts';
import { startTokenServer } from '../helpers/e2e-api.ts';
import { NODE_ENTRY, type Server } from '../helpers/spawn.ts';

// The whole deploy on the embedded default (`tsx src/node.ts`, PORT=0): the
// simulated nodes reach the service over real HTTP at its PUBLIC_URL (taken
// from the port it listens on), fetch their tarballs and signal. The site's
// two boot actions: hello-world (signaling file, every node) and
// masters-only (non-signaling package list).

const site = generateSite(2);
const WAIT_MS = 60_000;

interface TaskBody {
  task_id: string;
  status: string;
  result: { status: string; successes: string[]; failures: string[]; details: { messageList: Array<{ message: string; context: string; context_type: string; error: boolean }> } };
}

let dir: string;
let server: Server | undefined;
let token = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-bootaction-e2e-'));
  ({ server, token } = await startTokenServer(NODE_ENTRY, dir, {
    FAKE_LAB_STEP_MS: '0',
    FAKE_LAB_DISK_DIR: join(dir, 'lab'),
    TASK_POLL_INTERVAL_SECONDS: '1',
    BOOTACTION_FINAL_STATUS_TIMEOUT: '30',
    LOG_LEVEL: 'warn',
  }));
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server!.url}/api/v1.0${path}`, { ...init, headers: { 'X-Auth-Token': token, ...init.headers } });
}

async function run(action: string, designRef: string): Promise<TaskBody> {
  const res = await api('/tasks', {
    method: 'POST',
    body: JSON.stringify({ action, design_ref: designRef }),
    headers: { 'Content-Type': 'application/json' },
  });
  expect(res.status).toBe(201);
  const id = ((await res.json()) as TaskBody).task_id;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const task = (await (await api(`/tasks/${id}`)).json()) as TaskBody;
    if (task.status === 'complete') return task;
    if (Date.now() > deadline) throw new Error(`task ${id} still ${task.status}:\n${server!.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('boot actions end to end on Node', { timeout: 3 * WAIT_MS }, () => {
  it('deploys, and every simulated node fetches its files and signals Success', async () => {
    const res = await api('/designs', { method: 'POST', body: site.yaml, headers: { 'Content-Type': 'application/x-yaml' } });
    expect(res.status).toBe(201);
    const ref = ((await res.json()) as { href: string }).href;
    expect((await run('prepare_nodes', ref)).result.status).toBe('success');

    const deploy = await run('deploy_nodes', ref);
    expect([deploy.result.status, [...deploy.result.successes].sort(), deploy.result.failures]).toEqual(['success', site.nodeNames, []]);
    const fromNodes = deploy.result.details.messageList.filter((m) => m.context_type === 'bootaction');
    // A start message and a final one per node, for its one signaling action.
    expect(fromNodes.length).toBe(2 * site.nodeNames.length);
    expect(fromNodes.every((m) => !m.error)).toBe(true);
    for (const node of site.nodeNames) {
      expect(fromNodes.map((m) => m.message)).toContain(`Boot action hello-world ran on ${node}.`);
      expect(await readFile(join(dir, 'lab', node, 'bootaction.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    }
  });
});
