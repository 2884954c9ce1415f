import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eApi } from '../helpers/e2e-api.ts';
import { EXAMPLE_NODES } from '../maas/example-site.ts';
import { AGENT_ENTRY, ROOT, spawnProcess, type Spawned } from '../helpers/spawn.ts';
import { bundleWorker, startWorker, type WorkerBundle, type WorkerInstance } from '../helpers/worker-bundle.ts';

// README "Edge + site agent": the edge in workerd with DRIVER_LOCATION=agent,
// and `npm run agent` running the fake lab at the site; the fake lab's
// machines, once deployed, fetch their boot action files from the edge
// (PUBLIC_URL) and report there.

const ADMIN = 'workerd-fakelab-agent-admin';
const WAIT_MS = 60_000;

let bundle: WorkerBundle;
let worker: WorkerInstance;
let agent: Spawned | undefined;
let spool: string;

beforeAll(async () => {
  bundle = await bundleWorker();
  worker = await startWorker(bundle.scriptPath, {
    AUTH_MODE: 'token',
    AUTH_TOKENS: `ops:admin:${createHash('sha256').update(ADMIN).digest('hex')}`,
    DRIVER_LOCATION: 'agent',
    TASK_POLL_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'warn',
  }, { consumeQueue: true });
  spool = await mkdtemp(join(tmpdir(), 'drydock-fakelab-agent-'));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await worker?.dispose();
  await bundle?.cleanup();
  if (spool) await rm(spool, { recursive: true, force: true });
});

const service = () => ({ url: worker.url, output: () => `${worker.output.join('\n')}\n--- agent ---\n${agent?.output() ?? ''}` });
const { api, runTask, newAgentToken } = e2eApi(service, () => ADMIN, WAIT_MS);

describe('the fake lab at the site agent, the edge in workerd', { timeout: 3 * WAIT_MS }, () => {
  it('deploys the example site, the simulated nodes signalling their boot actions to the edge', async () => {
    const token = await newAgentToken('lab', 'east-lab');
    const settings = { EDGE_URL: worker.url, AGENT_TOKEN: token, SITE: 'east-lab', AGENT_SPOOL_DIR: spool, AGENT_INVENTORY_SECONDS: '1' };
    agent = spawnProcess(AGENT_ENTRY, { ...settings, FAKE_LAB_STEP_MS: '0', PUBLIC_URL: worker.url });
    const stored = await api('/designs', {
      method: 'POST',
      body: await readFile(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8'),
      headers: { 'Content-Type': 'application/x-yaml' },
    });
    const ref = ((await stored.json()) as { href: string }).href;
    for (const action of ['prepare_site', 'prepare_nodes']) {
      const task = await runTask(action, ref);
      expect(task.result.status, `${action}\n${service().output()}`).toBe('success');
    }
    const deployed = await runTask('deploy_nodes', ref);
    const details = await (await api(`/tasks/${deployed.task_id}?subtaskerrors=true&layers=-1`)).text();
    expect(details).toContain('Boot action hello-control completed with status success');
    // GET /nodes at the edge: the lab's machines as the agent reported them (stored in D1).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await api('/nodes');
      const machines = res.status === 200 ? ((await res.json()) as Array<{ hostname: string; status_name: string }>) : [];
      if (EXAMPLE_NODES.every((n) => machines.some((m) => m.hostname === n && m.status_name === 'Deployed'))) break;
      if (Date.now() > deadline) throw new Error(`GET /nodes: ${res.status} ${JSON.stringify(machines)}\n${service().output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
});
