import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eApi, startTokenServer, tablesHolding } from '../helpers/e2e-api.ts';
import { NODE_ENTRY, ROOT, type Server } from '../helpers/spawn.ts';
import { NODE_KEY_PATH } from '../../src/drivers/maas/user-data.ts';
import { startK8sApi, type K8sApi } from '../drivers/kubernetes/k8s-api.ts';
import { playNodesOnceDeployed } from '../maas/deployed-node.ts';
import { EXAMPLE_NODES, startExampleMaas } from '../maas/example-site.ts';
import type { MaasSimulator } from '../maas/simulator.ts';
import { NODE_STATUS } from '../maas/status.ts';
import { closedPort } from '../helpers/origin.ts';

// The repository's example site (test/fixtures/designs/site.yaml) through the
// public API of `tsx src/node.ts` with NODE_DRIVER=maas against the MAAS
// simulator (test/maas/), the fake lab's BMCs for OOB. The simulator's clock
// moves on a timer here, as MAAS's machines would on their own.

const WAIT_MS = 90_000;
const NODES = EXAMPLE_NODES;

let dir: string;
let sim: MaasSimulator;
let k8s: K8sApi;
const K8S_TOKEN = 'maas-e2e-k8s-token';
/** The deployed nodes' boot action keys, as they read them from their user data. */
const nodeKeys: string[] = [];
let stopMaas: (() => Promise<void>) | undefined;
const servers: Server[] = [];

/** A server on its own database with the MAAS settings given. */
async function serve(maas: Record<string, string>): Promise<{ server: Server; token: string; dbFile: string }> {
  const started = await startTokenServer(NODE_ENTRY, await mkdtemp(join(dir, 'server-')), {
    NODE_DRIVER: 'maas',
    MAAS_POLL_INTERVAL_MS: '200',
    MAAS_REQUEST_TIMEOUT_MS: '3000',
    MAAS_RETRIES: '1',
    FAKE_LAB_STEP_MS: '0',
    TASK_POLL_INTERVAL_SECONDS: '1',
    TASK_STEP_RETRY_BASE_SECONDS: '1',
    LOG_LEVEL: 'debug',
    ...maas,
  }, join(dir, 'designs'));
  servers.push(started.server);
  return started;
}

const siteRef = () => `file://${join(dir, 'designs', 'site.yaml')}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-maas-e2e-'));
  await mkdir(join(dir, 'designs'));
  await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(dir, 'designs', 'site.yaml'));
  ({ sim, stop: stopMaas } = await startExampleMaas({ commissionTicks: 3, deployTicks: 3, releaseTicks: 2 }));
  k8s = await startK8sApi({
    token: K8S_TOKEN,
    nodes: Object.fromEntries(NODES.map((n) => [n, { 'kubernetes.io/hostname': n }])),
  });
}, 30_000);

afterAll(async () => {
  for (const server of servers) await server.stop();
  await stopMaas?.();
  await k8s?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a site prepared through the API with NODE_DRIVER=maas (tsx src/node.ts)', { timeout: 3 * WAIT_MS }, () => {
  let main: Awaited<ReturnType<typeof serve>>;
  const client = e2eApi(() => main.server, () => main.token, WAIT_MS);

  beforeAll(async () => {
    main = await serve({
      MAAS_URL: sim.url,
      MAAS_API_KEY: sim.apiKey,
      KUBERNETES_DRIVER: 'kubernetes',
      KUBERNETES_API_URL: k8s.url,
      KUBERNETES_TOKEN: K8S_TOKEN,
    });
  }, 30_000);

  it('reports MAAS in /health/extended', async () => {
    const body = await (await client.api('/health/extended')).text();
    expect(body).toContain('MAAS 3.5.0');
  });

  it('validates the nodes\' image and kernel against MAAS\'s boot images', async () => {
    const report = (await (await client.api('/validatedesign', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rel: 'design', href: siteRef(), type: 'application/x-yaml' }),
    })).json()) as { status: string; details: { messageList: Array<{ name?: string; level: string; message: string }> } };
    expect(report.status, JSON.stringify(report)).toBe('Success');
    expect(report.details.messageList.filter((m) => m.name === 'DD3001').map((m) => m.level)).toEqual(['Info']);
    expect(sim.calls({ method: 'GET', path: /boot-resources\/$/ }).length).toBeGreaterThan(0);
  });

  it('prepare_site creates the networks (DHCP relayed to the rack), SSH keys and repositories in MAAS', async () => {
    const task = await client.runTask('prepare_site', siteRef());
    const details = await (await client.api(`/tasks/${task.task_id}?subtaskerrors=true&layers=-1`)).text();
    expect(task.result.status, details).toBe('success');
    // oob is labelled noconfig: MAAS gets no subnet for it, and mgmt no route to it.
    const net = sim.state.network;
    expect(net.subnets.map((s) => s.cidr).sort()).toEqual(['10.23.10.0/24', '10.23.20.0/24']);
    expect(details).toContain('no static route to noconfig networks (mgmt to 10.23.0.0/24)');
    const vlanOf = (cidr: string) => net.vlans.find((v) => v.id === net.subnets.find((s) => s.cidr === cidr)!.vlanId)!;
    expect(vlanOf('10.23.10.0/24').relayVlan).toBe(vlanOf('10.23.20.0/24').id);
    expect(vlanOf('10.23.20.0/24').vid).toBe(120);
    expect(sim.state.sshKeys.map((k) => k.key)).toEqual([expect.stringContaining('ops@east-lab')]);
    expect(sim.state.repos.map((r) => r.name)).toEqual(expect.arrayContaining(['ubuntu', 'docker']));
  });

  it('prepare_nodes finds each machine by its BMC, names it, commissions it and keeps its build data', async () => {
    const task = await client.runTask('prepare_nodes', siteRef());
    expect([...task.result.successes].sort(), main.server.output()).toEqual([...NODES].sort());
    for (const name of NODES) expect(sim.machine(name).status).toBe(NODE_STATUS.READY);
    const builddata = await client.api('/nodes/east-cmp01/builddata');
    expect(builddata.status).toBe(200);
    expect(await builddata.text()).toContain('lshw');
  });

  it('deploy_nodes sets up each machine, deploys it with its key in the user data, and takes the nodes\' boot action reports', async () => {
    const created = await client.postJson('/tasks', { action: 'deploy_nodes', design_ref: siteRef() });
    expect(created.status).toBe(201);
    const { task_id } = (await created.json()) as { task_id: string };
    // Each machine, once MAAS has deployed it, boots and runs its boot actions.
    const runs = await playNodesOnceDeployed(sim, main.server.url, NODES, NODE_KEY_PATH, NODE_STATUS.DEPLOYED, WAIT_MS);
    nodeKeys.push(...Object.values(runs).map((r) => r.key));
    const task = await client.untilComplete(task_id);
    const details = await (await client.api(`/tasks/${task_id}?subtaskerrors=true&layers=-1`)).text();
    expect([...task.result.successes].sort(), details).toEqual([...NODES].sort());
    for (const name of NODES) {
      const machine = sim.machine(name);
      expect([machine.status, machine.distroSeries, machine.hweKernel]).toEqual([NODE_STATUS.DEPLOYED, 'xenial', 'ga-16.04']);
      // MAAS_BOOTACTION_KEY_DELIVERY=both: the same key as a tag, for Drydock's node images.
      expect(sim.state.tagNamesOf(machine)).toContain(`${name}__baid__${runs[name]!.key}`);
      expect(runs[name]!.packages).toEqual(['ipmitool', ['docker.io', '18.09.7-0ubuntu1~16.04.7'], 'linux-tools-generic']);
    }
    expect(sim.machine('east-ctl01').ownerData).toEqual({ site: 'east-lab', role: 'control' });
    // Networking and storage as the design has them, on east-cmp01: eno1 (pxe_nic01) static on pxe, bond0 of
    // the data NICs with mgmt (VLAN 120) on a VLAN interface; root_disk partitioned, data_disk a volume group.
    const cmp01 = sim.machine('east-cmp01');
    const linksOf = (name: string) => cmp01.interfaces.find((i) => i.name === name)?.links.map((l) => `${l.mode} ${l.ipAddress ?? ''}`.trim());
    expect(linksOf('eno1')).toEqual(['static 10.23.10.12']);
    expect(cmp01.interfaces.find((i) => i.name === 'bond0')).toMatchObject({ type: 'bond', parents: ['eno2', 'eno3'], mtu: 9000 });
    expect(cmp01.interfaces.filter((i) => i.type === 'vlan').map((i) => [i.parents, i.links.map((l) => l.ipAddress)])).toEqual([[['bond0'], ['10.23.20.22']]]);
    expect(cmp01.blockDevices.map((d) => [d.name, d.partitions.map((p) => p.filesystem?.mountPoint)])).toEqual([['sda', ['/boot', '/', '/var']], ['sdb', []]]);
    expect(cmp01.volumeGroups.map((g) => [g.name, g.logicalVolumes.map((lv) => lv.filesystem?.mountPoint)])).toEqual([['data_vg', ['/var/lib/docker', '/var/lib/images']]]);
    // Only the control node has hello-control; its script's report was accepted.
    expect(runs['east-ctl01']!.files['/opt/hello/hello.sh']).toContain('Hello from east-ctl01');
    expect(runs['east-ctl01']!.reports).toEqual([{ url: expect.stringContaining('/api/v1.0/bootactions/'), status: 200 }]);
    expect(runs['east-cmp01']!.reports).toEqual([]);
    expect(details).toContain('Boot action hello-control completed with status success');
  });

  it('relabel_nodes gives the deployed nodes their owner_data as Kubernetes labels', async () => {
    const task = await client.runTask('relabel_nodes', siteRef());
    expect([...task.result.successes].sort()).toEqual([...NODES].sort());
    expect(k8s.labelsOf('east-ctl01')).toEqual({ 'kubernetes.io/hostname': 'east-ctl01', site: 'east-lab', role: 'control' });
    expect(k8s.labelsOf('east-cmp02')).toEqual({ 'kubernetes.io/hostname': 'east-cmp02', site: 'east-lab', role: 'compute' });
  });

  it('keeps the MAAS API key, the Kubernetes token and the node keys out of the log and every table', async () => {
    expect(nodeKeys).toHaveLength(NODES.length);
    const secrets = [...sim.apiKey.split(':'), K8S_TOKEN, ...nodeKeys];
    for (const secret of secrets) expect(main.server.output()).not.toContain(secret);
    expect(await tablesHolding(main.dbFile, secrets)).toEqual([]);
  });
});

describe('MAAS refusing or missing (tsx src/node.ts)', { timeout: 2 * WAIT_MS }, () => {
  it('a wrong API key fails prepare_site with MAAS\'s 401 named in the task messages', async () => {
    const wrong = await serve({ MAAS_URL: sim.url, MAAS_API_KEY: 'WrongConsumer:WrongToken:WrongSecret' });
    const { runTask, api } = e2eApi(() => wrong.server, () => wrong.token, WAIT_MS);
    const task = await runTask('prepare_site', siteRef());
    expect(task.result.status).toBe('failure');
    const details = await (await api(`/tasks/${task.task_id}?subtaskerrors=true&layers=-1`)).text();
    expect(details).toContain('MAAS refused the API key (HTTP 401');
    expect(details).toContain('MAAS_API_KEY');
    for (const part of ['WrongConsumer', 'WrongToken', 'WrongSecret']) {
      expect(details).not.toContain(part);
      expect(wrong.server.output()).not.toContain(part);
    }
  });

  it('an unreachable MAAS fails prepare_site saying it could not connect', async () => {
    const gone = await serve({ MAAS_URL: `http://127.0.0.1:${await closedPort()}/MAAS`, MAAS_API_KEY: sim.apiKey });
    const { runTask, api } = e2eApi(() => gone.server, () => gone.token, WAIT_MS);
    const task = await runTask('prepare_site', siteRef());
    expect(task.result.status).toBe('failure');
    const details = await (await api(`/tasks/${task.task_id}?subtaskerrors=true&layers=-1`)).text();
    expect(details).toContain('could not connect to MAAS');
  });
});
