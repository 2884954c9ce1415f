import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../agent/harness.ts';
import { e2eApi, startTokenServer } from '../helpers/e2e-api.ts';
import { driverCallRows, spawnMaasAgent } from '../helpers/site-agent.ts';
import { NODE_ENTRY, ROOT, type Server, type Spawned } from '../helpers/spawn.ts';
import { EXAMPLE_NODES, startExampleMaas } from '../maas/example-site.ts';
import type { MaasSimulator } from '../maas/simulator.ts';

// The edge crashes (SIGKILL) while the site agent is in a call, and comes
// back on the same database and port. The agent finishes the call while the
// edge is down, keeps the result in its spool, posts it once the edge
// answers again, and the task completes: the call is not run a second time.

const WAIT_MS = 90_000;

let dir: string;
let sim: MaasSimulator;
let stopMaas: (() => Promise<void>) | undefined;
let edge: Server;
let agent: Spawned | undefined;
let admin = '';
let edgeDb = '';

const EDGE_VARS = {
  DRIVER_LOCATION: 'agent',
  NODE_DRIVER: 'maas',
  TASK_POLL_INTERVAL_SECONDS: '1',
  // Longer than the edge is down: the agent's lease still holds when it posts.
  AGENT_LEASE_SECONDS: '30',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-agent-edge-restart-'));
  await mkdir(join(dir, 'designs'));
  await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(dir, 'designs', 'site.yaml'));
  ({ sim, stop: stopMaas } = await startExampleMaas());
  ({ server: edge, token: admin, dbFile: edgeDb } = await startTokenServer(NODE_ENTRY, dir, EDGE_VARS));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await edge?.stop();
  await stopMaas?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const { api, postJson, runTask, untilComplete, newAgentToken } = e2eApi(() => edge, () => admin, WAIT_MS);
const siteRef = () => `file://${join(dir, 'designs', 'site.yaml')}`;
const spoolDir = () => join(dir, 'spool');
const agentSaid = (msg: string) => agent!.records().some((r) => r.msg === msg);

describe('the edge restarted while the site agent holds a result (tsx src/node.ts + tsx src/agent.ts)', { timeout: 3 * WAIT_MS }, () => {
  it('the agent keeps the result in its spool and posts it once the edge is back; the call runs once', async () => {
    agent = spawnMaasAgent(edge.url, await newAgentToken('east-1', 'east-lab'), sim, spoolDir());
    expect((await runTask('prepare_site', siteRef())).result.status, agent.output()).toBe('success');

    // MAAS takes 3 s to answer the first commission: long enough to take the edge down under it.
    sim.slowNext(1, 3000, { method: 'POST', op: 'commission' });
    const since = new Date();
    const created = await postJson('/tasks', { action: 'prepare_nodes', design_ref: siteRef() });
    const { task_id: taskId } = (await created.json()) as { task_id: string };
    // Taken (the counter is down) as the request arrives: MAAS now answers it in 3 s.
    await until(() => sim.state.slow === 0, 30_000, 'the slow commission');
    await edge.kill('SIGKILL');

    await until(() => agentSaid('edge unreachable (posting a result); retrying'), 30_000, 'a result the edge cannot take');
    expect((await readdir(spoolDir())).filter((n) => n.endsWith('.json')).length).toBeGreaterThan(0);
    edge = (await startTokenServer(NODE_ENTRY, dir, { ...EDGE_VARS, PORT: String(edge.port) })).server;

    const task = await untilComplete(taskId);
    const why = await (await api(`/tasks/${taskId}?subtaskerrors=true&layers=-1`)).text();
    expect([...task.result.successes].sort(), `${why}\n${agent.output()}`).toEqual([...EXAMPLE_NODES].sort());
    expect(agentSaid('result posted')).toBe(true);
    // The results held while the edge was down counted: no call was leased a second time.
    for (const call of await driverCallRows(edgeDb, since)) expect(call).toMatchObject({ state: 'done', attempts: 1, taken: true });
    const commissions = sim.calls({ method: 'POST', op: 'commission' }).map((c) => c.path);
    expect(commissions.length).toBe(EXAMPLE_NODES.length);
    expect(new Set(commissions).size).toBe(EXAMPLE_NODES.length);
    expect((await readdir(spoolDir())).filter((n) => !n.startsWith('.'))).toEqual([]);
  });
});
