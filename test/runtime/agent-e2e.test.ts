import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_KEY_PATH } from '../../src/drivers/maas/user-data.ts';
import { e2eApi, tablesHolding } from '../helpers/e2e-api.ts';
import { NODE_ENTRY, ROOT, spawnProcess, startServer, type Server, type Spawned } from '../helpers/spawn.ts';
import { playNodesOnceDeployed } from '../maas/deployed-node.ts';
import { EXAMPLE_BOOT_RESOURCES, EXAMPLE_NODES, EXAMPLE_RACK_INTERFACES, exampleSiteMachines } from '../maas/example-site.ts';
import { startMaasSimulator, type MaasSimulator } from '../maas/simulator.ts';
import { NODE_STATUS } from '../maas/status.ts';

// The edge and the site apart: `tsx src/node.ts` with DRIVER_LOCATION=agent
// (no MAAS URL or key), and `tsx src/agent.ts` at the site with the MAAS
// driver's settings, leasing the edge's driver calls. The example site is
// prepared and deployed against the MAAS simulator; the deployed nodes
// still fetch their boot data from the edge.

const WAIT_MS = 90_000;
const AGENT = [process.execPath, '--import', 'tsx', 'src/agent.ts'];

let dir: string;
let sim: MaasSimulator;
let ticking: ReturnType<typeof setInterval>;
let edge: Server;
let agent: Spawned | undefined;
let admin = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-agent-e2e-'));
  await mkdir(join(dir, 'designs'));
  await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(dir, 'designs', 'site.yaml'));
  sim = await startMaasSimulator({
    machines: exampleSiteMachines(),
    rackInterfaces: EXAMPLE_RACK_INTERFACES,
    bootResources: EXAMPLE_BOOT_RESOURCES,
    timing: { commissionTicks: 3, deployTicks: 3, releaseTicks: 2 },
  });
  ticking = setInterval(() => sim.advance(1), 100);
  edge = await startServer(NODE_ENTRY, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'edge.db')}`,
    AUTH_MODE: 'token',
    ADMIN_TOKEN_FILE: join(dir, 'admin-token'),
    DESIGN_KEY_FILE: join(dir, 'design-key'),
    DESIGN_FILE_ROOT: join(dir, 'designs'),
    DRIVER_LOCATION: 'agent',
    NODE_DRIVER: 'maas',
    TASK_POLL_INTERVAL_SECONDS: '1',
    AGENT_LEASE_SECONDS: '10',
    LOG_LEVEL: 'debug',
  });
  admin = (await readFile(join(dir, 'admin-token'), 'utf8')).trim();
}, 60_000);

afterAll(async () => {
  clearInterval(ticking);
  await agent?.stop();
  await edge?.stop();
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const { api, runTask, untilComplete } = e2eApi(() => edge, () => admin, WAIT_MS);
const siteRef = () => `file://${join(dir, 'designs', 'site.yaml')}`;

describe('an edge whose driver calls run at the site agent (tsx src/node.ts + tsx src/agent.ts)', { timeout: 4 * WAIT_MS }, () => {
  let agentToken = '';

  it('an admin creates the site\'s agent token; the agent starts with it and the MAAS settings', async () => {
    const res = await api('/agents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'east-1', site: 'east-lab' }) });
    expect(res.status).toBe(201);
    agentToken = ((await res.json()) as { token: string }).token;
    agent = spawnProcess(AGENT, {
      EDGE_URL: edge.url,
      AGENT_TOKEN: agentToken,
      SITE: 'east-lab',
      AGENT_SPOOL_DIR: join(dir, 'spool'),
      NODE_DRIVER: 'maas',
      MAAS_URL: sim.url,
      MAAS_API_KEY: sim.apiKey,
      MAAS_POLL_INTERVAL_MS: '200',
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

  it('prepares the site and its nodes through the agent', async () => {
    const site = await runTask('prepare_site', siteRef());
    expect(site.result.status, agent!.output()).toBe('success');
    expect(sim.state.network.subnets.map((s) => s.cidr).sort()).toEqual(['10.23.10.0/24', '10.23.20.0/24']);
    const nodes = await runTask('prepare_nodes', siteRef());
    expect([...nodes.result.successes].sort(), agent!.output()).toEqual([...EXAMPLE_NODES].sort());
    for (const name of EXAMPLE_NODES) expect(sim.machine(name).status).toBe(NODE_STATUS.READY);
    // The commissioning's build data came back with the agent's result.
    expect(await (await api('/nodes/east-cmp01/builddata')).text()).toContain('lshw');
  });

  it('deploys through the agent: each node\'s key reaches it in its user data, and its boot data comes from the edge', async () => {
    const created = await api('/tasks', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: 'deploy_nodes', design_ref: siteRef() }) });
    const { task_id } = (await created.json()) as { task_id: string };
    const runs = await playNodesOnceDeployed(sim, edge.url, EXAMPLE_NODES, NODE_KEY_PATH, NODE_STATUS.DEPLOYED, WAIT_MS);
    expect(Object.values(runs).flatMap((r) => r.reports.map((x) => x.status))).toEqual([200]);
    const task = await untilComplete(task_id);
    expect([...task.result.successes].sort(), agent!.output()).toEqual([...EXAMPLE_NODES].sort());
    const details = await (await api(`/tasks/${task_id}?subtaskerrors=true&layers=-1`)).text();
    expect(details).toContain('Boot action hello-control completed with status success');
  });

  it('keeps the MAAS key at the site: not in the edge\'s log or database; the agent token only as a digest', async () => {
    const secrets = [...sim.apiKey.split(':'), agentToken];
    for (const secret of secrets) expect(edge.output()).not.toContain(secret);
    expect(await tablesHolding(join(dir, 'edge.db'), secrets)).toEqual([]);
    expect(agent!.output()).not.toContain(agentToken);
  });
});
