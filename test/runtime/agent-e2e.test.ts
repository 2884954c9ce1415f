import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_KEY_PATH } from '../../src/drivers/maas/user-data.ts';
import { e2eApi, startTokenServer, tablesHolding } from '../helpers/e2e-api.ts';
import { AGENT_ENTRY, NODE_ENTRY, ROOT, spawnProcess, type Server, type Spawned } from '../helpers/spawn.ts';
import { playNodesOnceDeployed } from '../maas/deployed-node.ts';
import { EXAMPLE_NODES, startExampleMaas } from '../maas/example-site.ts';
import type { MaasSimulator } from '../maas/simulator.ts';
import { NODE_STATUS } from '../maas/status.ts';

// The edge and the site apart: `tsx src/node.ts` with DRIVER_LOCATION=agent
// (no MAAS URL or key), and `tsx src/agent.ts` at the site with the MAAS
// driver's settings, leasing the edge's driver calls. The example site is
// prepared and deployed against the MAAS simulator; the deployed nodes
// still fetch their boot data from the edge.

const WAIT_MS = 90_000;

let dir: string;
let sim: MaasSimulator;
let stopMaas: (() => Promise<void>) | undefined;
let edge: Server;
let agent: Spawned | undefined;
let admin = '';
let edgeDb = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-agent-e2e-'));
  await mkdir(join(dir, 'designs'));
  await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(dir, 'designs', 'site.yaml'));
  ({ sim, stop: stopMaas } = await startExampleMaas({ commissionTicks: 3, deployTicks: 3, releaseTicks: 2 }));
  ({ server: edge, token: admin, dbFile: edgeDb } = await startTokenServer(NODE_ENTRY, dir, {
    DRIVER_LOCATION: 'agent',
    NODE_DRIVER: 'maas',
    TASK_POLL_INTERVAL_SECONDS: '1',
    AGENT_LEASE_SECONDS: '10',
    LOG_LEVEL: 'debug',
  }));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await edge?.stop();
  await stopMaas?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const { api, postJson, runTask, untilComplete, newAgentToken } = e2eApi(() => edge, () => admin, WAIT_MS);
const siteRef = () => `file://${join(dir, 'designs', 'site.yaml')}`;

describe('an edge whose driver calls run at the site agent (tsx src/node.ts + tsx src/agent.ts)', { timeout: 4 * WAIT_MS }, () => {
  let agentToken = '';

  it('an admin creates the site\'s agent token; the agent starts with it and the MAAS settings', async () => {
    agentToken = await newAgentToken('east-1', 'east-lab');
    agent = spawnProcess(AGENT_ENTRY, {
      EDGE_URL: edge.url,
      AGENT_TOKEN: agentToken,
      SITE: 'east-lab',
      AGENT_SPOOL_DIR: join(dir, 'spool'),
      NODE_DRIVER: 'maas',
      MAAS_URL: sim.url,
      MAAS_API_KEY: sim.apiKey,
      MAAS_POLL_INTERVAL_MS: '200',
      AGENT_INVENTORY_SECONDS: '1',
      FAKE_LAB_STEP_MS: '0',
      LOG_LEVEL: 'debug',
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const agents = (await (await api('/agents')).json()) as Array<{ name: string; live: boolean }>;
      if (agents.some((a) => a.name === 'east-1' && a.live)) break;
      if (Date.now() > deadline) throw new Error(`the agent did not check in:\n${agent.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  /** The machines GET /nodes answers once `ready` holds for them (the agent reports every second). */
  const nodesWhen = async (ready: (machines: Array<{ hostname: string; status_name: string }>) => boolean) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await api('/nodes');
      const body = res.status === 200 ? ((await res.json()) as Array<{ hostname: string; status_name: string }>) : null;
      if (body && ready(body)) return { body, taken: res.headers.get('X-Drydock-Inventory-Taken') };
      if (Date.now() > deadline) throw new Error(`GET /nodes: ${res.status} ${JSON.stringify(body)}\n${agent!.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it("answers GET /nodes and Platform Selection from what the agent read from MAAS (the edge has no MAAS URL)", async () => {
    const { body, taken } = await nodesWhen((machines) => machines.length > 0);
    expect(body).toHaveLength(sim.state.machines.length);
    expect(Date.now() - Date.parse(taken!)).toBeLessThan(30_000);
    const validated = await postJson('/validatedesign', { rel: 'design', href: siteRef(), type: 'application/x-yaml' });
    const messages = ((await validated.json()) as { details: { messageList: Array<{ name?: string; level: string }> } }).details.messageList;
    expect(messages.filter((m) => m.name === 'DD3001').map((m) => m.level)).toEqual(['Info']);
  });

  it('prepares the site and its nodes through the agent', async () => {
    const site = await runTask('prepare_site', siteRef());
    expect(site.result.status, agent!.output()).toBe('success');
    expect(sim.state.network.subnets.map((s) => s.cidr).sort()).toEqual(['10.23.10.0/24', '10.23.20.0/24']);
    const nodes = await runTask('prepare_nodes', siteRef());
    expect([...nodes.result.successes].sort(), agent!.output()).toEqual([...EXAMPLE_NODES].sort());
    for (const name of EXAMPLE_NODES) expect(sim.machine(name).status).toBe(NODE_STATUS.READY);
    // The commissioning's build data came back with the agent's result, reported and linked as in-process.
    expect(await (await api('/nodes/east-cmp01/builddata')).text()).toContain('lshw');
    const details = await (await api(`/tasks/${nodes.task_id}?subtaskerrors=true&layers=-1`)).text();
    for (const name of EXAMPLE_NODES) expect(details).toMatch(new RegExp(`Collected [1-9][0-9]* build data element\\(s\\) for ${name}`));
    expect(details).toMatch(/"rel":"detail_logs","href":"[^"]*\/api\/v1\.0\/tasks\/[^"]+\/builddata"/);
    // The agent's next inventory shows the named, commissioned machines.
    await nodesWhen((machines) => EXAMPLE_NODES.every((n) => machines.some((m) => m.hostname === n && m.status_name === 'Ready')));
    const one = await api('/nodes/east-cmp01');
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ hostname: 'east-cmp01', status_name: 'Ready' });
  });

  it('deploys through the agent: each node\'s key reaches it in its user data, and its boot data comes from the edge', async () => {
    const created = await postJson('/tasks', { action: 'deploy_nodes', design_ref: siteRef() });
    const { task_id } = (await created.json()) as { task_id: string };
    const runs = await playNodesOnceDeployed(sim, edge.url, EXAMPLE_NODES, NODE_KEY_PATH, NODE_STATUS.DEPLOYED, WAIT_MS);
    expect(Object.values(runs).flatMap((r) => r.reports.map((x) => x.status))).toEqual([200]);
    const task = await untilComplete(task_id);
    expect([...task.result.successes].sort(), agent!.output()).toEqual([...EXAMPLE_NODES].sort());
    const details = await (await api(`/tasks/${task_id}?subtaskerrors=true&layers=-1`)).text();
    expect(details).toContain('Boot action hello-control completed with status success');
    for (const name of EXAMPLE_NODES) expect(details).toMatch(new RegExp(`Collected [1-9][0-9]* build data element\\(s\\) for ${name}`));
  });

  it('keeps the MAAS key at the site: not in the edge\'s log or database; the agent token only as a digest', async () => {
    const secrets = [...sim.apiKey.split(':'), agentToken];
    for (const secret of secrets) expect(edge.output()).not.toContain(secret);
    expect(await tablesHolding(edgeDb, secrets)).toEqual([]);
    expect(agent!.output()).not.toContain(agentToken);
  });
});
