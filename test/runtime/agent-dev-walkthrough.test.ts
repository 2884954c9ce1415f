import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAdminToken, devProject, startDev } from '../helpers/dev-server.ts';
import { e2eApi } from '../helpers/e2e-api.ts';
import { AGENT_ENTRY, ROOT, spawnProcess, type Spawned } from '../helpers/spawn.ts';
import { EXAMPLE_NODES } from '../maas/example-site.ts';

// README "Edge + site agent", as written: `npm run dev -- --var
// DRIVER_LOCATION:agent` (the Worker under wrangler dev), an agent token
// from POST /agents, and `npm run agent` running the fake lab at the site;
// the fake lab's machines, once deployed, fetch their boot action files from
// the edge (PUBLIC_URL) and report there.

const WAIT_MS = 90_000;

let dir = '';
let port = 0;
let admin = '';
let dev: Spawned | undefined;
let agent: Spawned | undefined;
let spool = '';

beforeAll(async () => {
  ({ dir, port } = await devProject('drydock-agent-dev-'));
  spool = await mkdtemp(join(tmpdir(), 'drydock-agent-dev-spool-'));
  dev = await startDev(dir, port, ['--var', 'DRIVER_LOCATION:agent', '--var', 'TASK_POLL_INTERVAL_SECONDS:1', '--var', 'LOG_LEVEL:warn'], WAIT_MS);
  admin = await devAdminToken(dir);
}, WAIT_MS + 10_000);

afterAll(async () => {
  await agent?.stop();
  await dev?.stop();
  for (const d of [dir, spool]) if (d) await rm(d, { recursive: true, force: true });
});

const edgeUrl = () => `http://127.0.0.1:${port}`;
const service = () => ({ url: edgeUrl(), output: () => `${dev?.output() ?? ''}\n--- agent ---\n${agent?.output() ?? ''}` });
const { api, runTask, newAgentToken } = e2eApi(service, () => admin, WAIT_MS);

describe('README "Edge + site agent": npm run dev + npm run agent with the fake lab', { timeout: 4 * WAIT_MS }, () => {
  it('deploys the example site, the simulated nodes signalling their boot actions to the edge', async () => {
    const token = await newAgentToken('east-lab-1', 'east-lab');
    agent = spawnProcess(AGENT_ENTRY, { EDGE_URL: edgeUrl(), AGENT_TOKEN: token, SITE: 'east-lab', AGENT_SPOOL_DIR: spool, PUBLIC_URL: edgeUrl(), FAKE_LAB_STEP_MS: '0' });
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
    expect(deployed.result.status, `${details}\n${service().output()}`).toBe('success');
    expect(details).toContain('Boot action hello-control completed with status success');
    const agents = (await (await api('/agents')).json()) as Array<{ name: string; live: boolean }>;
    expect(agents).toEqual([expect.objectContaining({ name: 'east-lab-1', live: true })]);
    // GET /nodes at the edge: the lab's machines as the agent reported them (stored in D1).
    const nodes = await api('/nodes');
    expect(nodes.status, await nodes.clone().text()).toBe(200);
    const hostnames = ((await nodes.json()) as Array<{ hostname: string }>).map((m) => m.hostname);
    expect(hostnames.sort()).toEqual([...EXAMPLE_NODES].sort());
  });
});
