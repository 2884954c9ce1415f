import { createClient } from '@libsql/client';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eApi, startTokenServer } from '../helpers/e2e-api.ts';
import { AGENT_ENTRY, NODE_ENTRY, ROOT, spawnProcess, type Server, type Spawned } from '../helpers/spawn.ts';
import { EXAMPLE_NODES, startExampleMaas } from '../maas/example-site.ts';
import type { MaasSimulator } from '../maas/simulator.ts';

// An agent killed (SIGKILL) in the middle of a driver call: its lease runs
// out, a second agent of the site leases the call again and finishes it, and
// the task completes with no MAAS step done twice.

const WAIT_MS = 90_000;

let dir: string;
let sim: MaasSimulator;
let stopMaas: (() => Promise<void>) | undefined;
let edge: Server;
const agents: Spawned[] = [];
let admin = '';
let edgeDb = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-agent-faults-'));
  await mkdir(join(dir, 'designs'));
  await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(dir, 'designs', 'site.yaml'));
  ({ sim, stop: stopMaas } = await startExampleMaas());
  ({ server: edge, token: admin, dbFile: edgeDb } = await startTokenServer(NODE_ENTRY, dir, {
    DRIVER_LOCATION: 'agent',
    NODE_DRIVER: 'maas',
    TASK_POLL_INTERVAL_SECONDS: '1',
    AGENT_LEASE_SECONDS: '5',
  }));
}, 60_000);

afterAll(async () => {
  for (const a of agents) await a.stop();
  await edge?.stop();
  await stopMaas?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const { api, postJson, runTask, untilComplete, newAgentToken } = e2eApi(() => edge, () => admin, WAIT_MS);
const siteRef = () => `file://${join(dir, 'designs', 'site.yaml')}`;

async function startAgent(name: string): Promise<Spawned> {
  const token = await newAgentToken(name, 'east-lab');
  const proc = spawnProcess(AGENT_ENTRY, {
    EDGE_URL: edge.url, AGENT_TOKEN: token, SITE: 'east-lab', AGENT_SPOOL_DIR: join(dir, `spool-${name}`),
    NODE_DRIVER: 'maas', MAAS_URL: sim.url, MAAS_API_KEY: sim.apiKey, MAAS_POLL_INTERVAL_MS: '200',
    MAAS_REQUEST_TIMEOUT_MS: '60000', FAKE_LAB_STEP_MS: '0',
  });
  agents.push(proc);
  return proc;
}

async function identifyCalls(): Promise<Array<{ node: string; state: string; attempts: number }>> {
  const db = createClient({ url: `file:${edgeDb}` });
  try {
    const rows = await db.execute("select node_name, state, attempts from driver_calls where action = 'identify_node' order by created");
    return rows.rows.map((r) => ({ node: String(r.node_name), state: String(r.state), attempts: Number(r.attempts) }));
  } finally {
    db.close();
  }
}

describe('an agent killed in the middle of a call (tsx src/node.ts + two tsx src/agent.ts)', { timeout: 3 * WAIT_MS }, () => {
  it('lets a second agent finish the call once the lease ran out; every node is prepared, each machine commissioned once', async () => {
    const first = await startAgent('east-1');
    expect((await runTask('prepare_site', siteRef())).result.status).toBe('success');
    // MAAS never answers the first agent's next request: it is stuck in its call, holding the lease.
    sim.hangNext(1);
    const created = await postJson('/tasks', { action: 'prepare_nodes', design_ref: siteRef() });
    const { task_id } = (await created.json()) as { task_id: string };
    const deadline = Date.now() + 30_000;
    while (!sim.calls().some((c) => c.status === 0)) {
      if (Date.now() > deadline) throw new Error(`no request hung:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const stuck = (await identifyCalls()).find((c) => c.state === 'leased');
    expect(stuck).toMatchObject({ attempts: 1 });
    await first.kill('SIGKILL');
    await startAgent('east-2');
    const task = await untilComplete(task_id);
    const why = await (await api(`/tasks/${task_id}?subtaskerrors=true&layers=-1`)).text();
    expect([...task.result.successes].sort(), why).toEqual([...EXAMPLE_NODES].sort());
    // The stuck call was leased a second time and finished by the second agent.
    expect((await identifyCalls()).find((c) => c.node === stuck!.node)).toMatchObject({ state: 'done', attempts: 2 });
    const commissions = sim.calls({ method: 'POST', op: 'commission' }).map((c) => c.path);
    expect(commissions).toHaveLength(EXAMPLE_NODES.length);
    expect(new Set(commissions).size).toBe(EXAMPLE_NODES.length);
  });
});
