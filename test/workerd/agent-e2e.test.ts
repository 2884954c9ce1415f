import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_KEY_PATH } from '../../src/drivers/maas/user-data.ts';
import { e2eApi } from '../helpers/e2e-api.ts';
import { AGENT_ENTRY, ROOT, spawnProcess, type Spawned } from '../helpers/spawn.ts';
import { bundleWorker, startWorker, type WorkerBundle, type WorkerInstance } from '../helpers/worker-bundle.ts';
import { playNodesOnceDeployed } from '../maas/deployed-node.ts';
import { EXAMPLE_NODES, startExampleMaas } from '../maas/example-site.ts';
import type { MaasSimulator } from '../maas/simulator.ts';
import { NODE_STATUS } from '../maas/status.ts';

// The edge as it runs at Cloudflare: the bundled worker in workerd with D1
// and its Queue consumer, DRIVER_LOCATION=agent and no MAAS settings; the
// site agent as a Node process with them, reaching the edge only over HTTP.
// The example site is prepared and deployed against the MAAS simulator, and
// the deployed nodes fetch their boot data from the worker.

const ADMIN = 'workerd-agent-e2e-admin';
const WAIT_MS = 90_000;

let bundle: WorkerBundle;
let worker: WorkerInstance;
let sim: MaasSimulator;
let stopMaas: (() => Promise<void>) | undefined;
let agent: Spawned | undefined;
let spool: string;

beforeAll(async () => {
  bundle = await bundleWorker();
  ({ sim, stop: stopMaas } = await startExampleMaas({ commissionTicks: 3, deployTicks: 3, releaseTicks: 2 }));
  worker = await startWorker(bundle.scriptPath, {
    AUTH_MODE: 'token',
    AUTH_TOKENS: `ops:admin:${createHash('sha256').update(ADMIN).digest('hex')}`,
    DRIVER_LOCATION: 'agent',
    NODE_DRIVER: 'maas',
    OOB_DRIVER: 'fake',
    TASK_POLL_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'warn',
  }, { consumeQueue: true });
  spool = await mkdtemp(join(tmpdir(), 'drydock-workerd-agent-'));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await worker?.dispose();
  await stopMaas?.();
  await bundle?.cleanup();
  if (spool) await rm(spool, { recursive: true, force: true });
});

const service = () => ({ url: worker.url, output: () => `${worker.output.join('\n')}\n--- agent ---\n${agent?.output() ?? ''}` });
const { api, postJson, runTask, untilComplete, newAgentToken } = e2eApi(service, () => ADMIN, WAIT_MS);

describe('the edge in workerd, the site agent in Node', { timeout: 4 * WAIT_MS }, () => {
  let ref = '';

  it('prepares and deploys the example site, the agent leasing every driver call', async () => {
    const token = await newAgentToken('east-1', 'east-lab');
    agent = spawnProcess(AGENT_ENTRY, {
      EDGE_URL: worker.url,
      AGENT_TOKEN: token,
      SITE: 'east-lab',
      AGENT_SPOOL_DIR: spool,
      NODE_DRIVER: 'maas',
      MAAS_URL: sim.url,
      MAAS_API_KEY: sim.apiKey,
      MAAS_POLL_INTERVAL_MS: '200',
      FAKE_LAB_STEP_MS: '0',
    });
    const stored = await api('/designs', {
      method: 'POST',
      body: await readFile(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8'),
      headers: { 'Content-Type': 'application/x-yaml' },
    });
    ref = ((await stored.json()) as { href: string }).href;
    expect((await runTask('prepare_site', ref)).result.status).toBe('success');
    const prepared = await runTask('prepare_nodes', ref);
    expect([...prepared.result.successes].sort(), service().output()).toEqual([...EXAMPLE_NODES].sort());

    const created = (await (await postJson('/tasks', { action: 'deploy_nodes', design_ref: ref })).json()) as { task_id: string };
    const runs = await playNodesOnceDeployed(sim, worker.url, EXAMPLE_NODES, NODE_KEY_PATH, NODE_STATUS.DEPLOYED, WAIT_MS);
    expect(Object.values(runs).flatMap((r) => r.reports.map((x) => x.status))).toEqual([200]);
    const deployed = await untilComplete(created.task_id);
    expect([...deployed.result.successes].sort(), service().output()).toEqual([...EXAMPLE_NODES].sort());
    for (const name of EXAMPLE_NODES) expect(sim.machine(name).status).toBe(NODE_STATUS.DEPLOYED);
    // The agent is listed as live with what it runs.
    const agents = (await (await api('/agents')).json()) as Array<{ name: string; live: boolean; drivers: string[] | null }>;
    expect(agents).toEqual([expect.objectContaining({ name: 'east-1', live: true, drivers: expect.arrayContaining(['node:maas']) })]);
  });
});
