import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../agent/harness.ts';
import { e2eApi, startTokenServer } from '../helpers/e2e-api.ts';
import { driverCallRows, spawnMaasAgent, type DriverCallRow } from '../helpers/site-agent.ts';
import { NODE_ENTRY, ROOT, type Server, type Spawned } from '../helpers/spawn.ts';
import { EXAMPLE_NODES, startExampleMaas } from '../maas/example-site.ts';
import type { MaasSimulator } from '../maas/simulator.ts';

// Site agents failing while the edge's tasks wait on them: killed (SIGKILL)
// in the middle of a call, their token revoked in the middle of a call, and
// two agents of the site racing for the same calls. Each test has its own
// MAAS simulator (a fresh site) and agents; the edge is shared.

const WAIT_MS = 90_000;

let dir: string;
let edge: Server;
let admin = '';
let edgeDb = '';
let sim: MaasSimulator;
let stopMaas: (() => Promise<void>) | undefined;
let agents: Spawned[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-agent-faults-'));
  await mkdir(join(dir, 'designs'));
  await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(dir, 'designs', 'site.yaml'));
  ({ server: edge, token: admin, dbFile: edgeDb } = await startTokenServer(NODE_ENTRY, dir, {
    DRIVER_LOCATION: 'agent',
    NODE_DRIVER: 'maas',
    TASK_POLL_INTERVAL_SECONDS: '1',
    AGENT_LEASE_SECONDS: '5',
  }));
}, 60_000);

afterEach(async () => {
  for (const a of agents) await a.stop();
  agents = [];
  await stopMaas?.();
  stopMaas = undefined;
});

afterAll(async () => {
  await edge?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const { api, postJson, runTask, untilComplete } = e2eApi(() => edge, () => admin, WAIT_MS);
const siteRef = () => `file://${join(dir, 'designs', 'site.yaml')}`;
const outputs = () => agents.map((a) => a.output()).join('\n---\n');

async function freshSite(): Promise<void> {
  ({ sim, stop: stopMaas } = await startExampleMaas());
}

async function startAgent(name: string): Promise<{ proc: Spawned; agentId: string }> {
  const res = await postJson('/agents', { name, site: 'east-lab' });
  const { agent_id: agentId, token } = (await res.json()) as { agent_id: string; token: string };
  const proc = spawnMaasAgent(edge.url, token, sim, join(dir, `spool-${name}`));
  agents.push(proc);
  return { proc, agentId };
}

const COMMISSION = { method: 'POST', op: 'commission' };

/**
 * Starts prepare_nodes with MAAS leaving one machine's commission request
 * unanswered; resolves once it hangs, with the call that is stuck in it.
 */
async function prepareNodesWithAStuckCall(): Promise<{ taskId: string; since: Date; stuck: DriverCallRow }> {
  expect((await runTask('prepare_site', siteRef())).result.status, outputs()).toBe('success');
  sim.hangNext(1, COMMISSION);
  const since = new Date();
  const created = await postJson('/tasks', { action: 'prepare_nodes', design_ref: siteRef() });
  expect(created.status, await created.clone().text()).toBe(201);
  const { task_id: taskId } = (await created.json()) as { task_id: string };
  await until(() => sim.calls().some((c) => c.status === 0), 30_000, `a hung MAAS request:\n${outputs()}`);
  const hung = sim.calls().find((c) => c.status === 0)!;
  const machine = sim.machines.find((m) => hung.path.includes(`/machines/${m.systemId}/`))!;
  const calls = await driverCallRows(edgeDb, since);
  const stuck = calls.find((c) => c.node === machine.hostname && c.state === 'leased');
  expect(stuck, JSON.stringify(calls)).toMatchObject({ attempts: 1 });
  return { taskId, since, stuck: stuck! };
}

/** The task succeeded for every node, each machine was commissioned exactly once, every call finished and was taken. */
async function expectEveryNodePreparedOnce(taskId: string, since: Date): Promise<void> {
  const task = await untilComplete(taskId);
  const why = await (await api(`/tasks/${taskId}?subtaskerrors=true&layers=-1`)).text();
  expect([...task.result.successes].sort(), `${why}\n${outputs()}`).toEqual([...EXAMPLE_NODES].sort());
  const commissions = sim.calls(COMMISSION).filter((c) => c.status !== 0).map((c) => c.path);
  expect(commissions).toHaveLength(EXAMPLE_NODES.length);
  expect(new Set(commissions).size).toBe(EXAMPLE_NODES.length);
  const calls = await driverCallRows(edgeDb, since);
  // identify_node, configure_hardware (commission) and apply_node_networking/storage at least, per node.
  expect(calls.length).toBeGreaterThanOrEqual(2 * EXAMPLE_NODES.length);
  for (const call of calls) expect(call).toMatchObject({ state: 'done', taken: true });
}

describe('site agents failing during a task (tsx src/node.ts + tsx src/agent.ts processes)', { timeout: 3 * WAIT_MS }, () => {
  it('an agent killed in a call: the lease runs out, a second agent finishes the call; each machine commissioned once', async () => {
    await freshSite();
    const first = await startAgent('kill-1');
    const { taskId, since, stuck } = await prepareNodesWithAStuckCall();
    await first.proc.kill('SIGKILL');
    await startAgent('kill-2');
    await expectEveryNodePreparedOnce(taskId, since);
    const calls = await driverCallRows(edgeDb, since);
    expect(calls.find((c) => c.node === stuck.node && c.action === stuck.action)).toMatchObject({ attempts: 2 });
  });

  it('an agent whose token is revoked in a call exits 3 with one line; its call goes to another agent at once', async () => {
    await freshSite();
    const first = await startAgent('revoke-1');
    const { taskId, since, stuck } = await prepareNodesWithAStuckCall();
    expect((await api(`/agents/${first.agentId}`, { method: 'DELETE' })).status).toBe(204);
    // Revoking re-queues the agent's leased calls: the second agent need not wait for the lease to run out.
    const requeued = (await driverCallRows(edgeDb, since)).find((c) => c.node === stuck.node && c.action === stuck.action);
    expect(requeued).toMatchObject({ state: 'queued', agent: null });
    expect(await first.proc.exited, first.proc.output()).toBe(3);
    const lines = first.proc.output().trim().split('\n');
    expect(lines.at(-1)).toBe(`agent token refused by ${edge.url}: revoked or wrong AGENT_TOKEN`);
    const second = await startAgent('revoke-2');
    await expectEveryNodePreparedOnce(taskId, since);
    const calls = await driverCallRows(edgeDb, since);
    expect(calls.find((c) => c.node === stuck.node && c.action === stuck.action), outputs()).toMatchObject({ attempts: 2, agent: second.agentId });
  });

  it('two agents of the site racing for the same calls: each call is leased and run once', async () => {
    await freshSite();
    const ids = [(await startAgent('race-1')).agentId, (await startAgent('race-2')).agentId];
    const site = await runTask('prepare_site', siteRef());
    expect(site.result.status, outputs()).toBe('success');
    const since = new Date();
    const created = await postJson('/tasks', { action: 'prepare_nodes', design_ref: siteRef() });
    expect(created.status, await created.clone().text()).toBe(201);
    const { task_id: taskId } = (await created.json()) as { task_id: string };
    await expectEveryNodePreparedOnce(taskId, since);
    const calls = await driverCallRows(edgeDb, since);
    for (const call of calls) {
      expect(call.attempts, JSON.stringify(call)).toBe(1);
      expect(ids).toContain(call.agent);
    }
    // Each lease request of either agent was answered by the one conditional UPDATE; the edge logged no error.
    expect(edge.records().filter((r) => r.level === 'error'), edge.output()).toEqual([]);
  });
});
