import { afterEach, describe, expect, it } from 'vitest';
import type { BaremetalNode, HardwareProfile } from '../../../src/design/model.ts';
import { makeHardwareProfile, makeLink, makeNetwork, makeNode, siteOf } from '../../helpers/site-model.ts';
import { startMaasSimulator, type MaasSimulator } from '../../maas/simulator.ts';
import { NODE_STATUS } from '../../maas/status.ts';
import { callJson, call } from '../../maas/test-client.ts';
import { logicalNameOf } from '../../../src/drivers/maas/lshw.ts';
import { maasContext } from './context.ts';

// apply_node_networking against the MAAS simulator: what the machine holds after it.

let sim: MaasSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const gw = (gateway: string) => [{ subnet: '0.0.0.0/0', gateway, metric: null, routedomain: null }];
const pxe = makeNetwork('pxe', { cidr: '10.23.10.0/24', routes: gw('10.23.10.1') });
const mgmt = makeNetwork('mgmt', { cidr: '10.23.20.0/24', vlanId: '120', routes: gw('10.23.20.1') });
const storage = makeNetwork('storage', { cidr: '10.23.30.0/24', vlanId: '130', mtu: 9000 });
const pxeLink = makeLink('pxe-link', { nativeNetwork: 'pxe', allowedNetworks: ['pxe'] });
const dataLink = makeLink('data-link', {
  bondingMode: '802.3ad', bondingXmitHash: 'layer3+4', bondingPeerRate: 'fast', bondingMonRate: 100,
  bondingUpDelay: 200, bondingDownDelay: 200, mtu: 9000, trunkMode: '802.1q', allowedNetworks: ['mgmt', 'storage'],
});

function node(over: Partial<BaremetalNode> = {}): BaremetalNode {
  return makeNode('n01', {
    primaryNetwork: 'mgmt',
    interfaces: [
      { deviceName: 'pxe', networkLink: 'pxe-link', hardwareSlaves: ['eno1'], networks: ['pxe'], sriov: false, vfCount: null, trustedMode: null },
      { deviceName: 'bond0', networkLink: 'data-link', hardwareSlaves: ['eno2', 'eno3'], networks: ['mgmt', 'storage'], sriov: false, vfCount: null, trustedMode: null },
    ],
    addressing: [
      { network: 'pxe', type: 'dhcp', address: null },
      { network: 'mgmt', type: 'static', address: '10.23.20.11' },
      { network: 'storage', type: 'static', address: '10.23.30.11' },
    ],
    ...over,
  });
}

/** A Ready machine with three NICs, and the site's network template already in MAAS. */
async function lab(n: BaremetalNode = node(), status: number = NODE_STATUS.READY, hardwareProfiles: HardwareProfile[] = []) {
  sim = await startMaasSimulator({ machines: [{ hostname: 'n01', mac: '52:54:00:00:00:01', extraMacs: ['52:54:00:00:00:02', '52:54:00:00:00:03'], status }] });
  const c = maasContext(sim, [n]);
  c.ctx.site = siteOf({ networks: [pxe, mgmt, storage], links: [pxeLink, dataLink], nodes: [n], hardwareProfiles });
  expect(await c.driver.run(c.ctx, 'create_network_template', null)).toMatchObject({ state: 'done' });
  const mark = sim.requests.length;
  const m = sim.machine('n01');
  const net = sim.state.network;
  const iface = (name: string) => m.interfaces.find((i) => i.name === name)!;
  const subnet = (cidr: string) => net.subnets.find((s) => s.cidr === cidr)!;
  const vlanOf = (name: string) => net.vlans.find((v) => v.id === iface(name).vlanId)!;
  const fabricName = (name: string) => net.fabrics.find((f) => f.id === vlanOf(name).fabricId)!.name;
  const since = () => sim!.requests.slice(mark);
  return { ...c, m, net, iface, subnet, vlanOf, fabricName, since, apply: () => c.driver.run(c.ctx, 'apply_node_networking', n) };
}

describe('MAAS apply_node_networking', () => {
  it('bonds two NICs with the link settings, adds tagged VLAN interfaces, links static and DHCP subnets', async () => {
    const { apply, m, iface, subnet, vlanOf, fabricName } = await lab();
    expect(await apply()).toMatchObject({ state: 'done', detail: expect.stringContaining('bond bond0 (eno2+eno3, 802.3ad); 2 VLAN interface(s), 3 subnet link(s)') });
    expect(m.interfaces.map((i) => i.name)).toEqual(['eno1', 'eno2', 'eno3', 'bond0', 'bond0.120', 'bond0.130']);
    const bond = iface('bond0');
    expect(bond.parents).toEqual(['eno2', 'eno3']);
    expect(bond.params).toMatchObject({ bond_mode: '802.3ad', bond_xmit_hash_policy: 'layer3+4', bond_lacp_rate: 'fast', bond_miimon: '100', bond_updelay: '200', bond_downdelay: '200' });
    expect([bond.mtu, iface('eno2').mtu, iface('eno3').mtu]).toEqual([9000, 9000, 9000]);
    expect([fabricName('bond0'), vlanOf('bond0').vid, fabricName('eno2'), fabricName('eno1'), vlanOf('eno1').vid]).toEqual(['data-link', 0, 'data-link', 'pxe-link', 0]);
    expect([vlanOf('bond0.120').vid, vlanOf('bond0.130').vid, iface('bond0.130').mtu]).toEqual([120, 130, 9000]);
    const links = (name: string) => iface(name).links.map((l) => [l.mode, l.subnetId, l.ipAddress]);
    expect(links('eno1')).toEqual([['dhcp', subnet('10.23.10.0/24').id, null]]);
    expect(links('bond0.120')).toEqual([['static', subnet('10.23.20.0/24').id, '10.23.20.11']]);
    expect(links('bond0.130')).toEqual([['static', subnet('10.23.30.0/24').id, '10.23.30.11']]);
    expect(links('bond0')).toEqual([]);
    // The primary network (mgmt) carries the default route.
    const doc = await callJson(sim!, 'GET', `machines/${m.systemId}/`);
    expect(doc.default_gateways.ipv4).toEqual({ gateway_ip: '10.23.20.1', link_id: iface('bond0.120').links[0]!.id });
  });

  it("reads MAAS once (machine with its embedded interface_set, fabrics, subnets), then only writes: Drydock's per-interface reads are the issue's bug", async () => {
    const { apply, since } = await lab();
    await apply();
    const reads = since().filter((q) => q.method === 'GET').map((q) => q.path.replace(/^\/MAAS\/api\/2\.0\//, ''));
    expect(reads.sort()).toEqual(['fabrics/', 'machines/', 'subnets/']);
    const writes = since().filter((q) => q.method !== 'GET').map((q) => `${q.method} ${q.op ?? ''}`);
    expect(writes.sort()).toEqual([
      'POST create_bond', 'POST create_vlan', 'POST create_vlan', 'POST link_subnet', 'POST link_subnet', 'POST link_subnet',
      'POST restore_networking_configuration', 'PUT ', 'PUT ', 'PUT ',
    ]);
    // Drydock (actions/node.py ApplyNodeNetworking, models/interface.py) for the same design reads:
    // fabrics + subnets up front (2), the node lookup (1), after the reset the machine, its interfaces and
    // the fabric and subnet lists again (4); per interface the fabric list (2); the NIC's attach_fabric:
    // fabric list before it plus fabric and VLAN lists inside (3); the bond: interface list (1), each slave's
    // attach_fabric (2 x 2), the bond's (2), interface list after (1); each create_vlan: interface and VLAN
    // lists (2 x 2); each link_subnet: subnet list and the interface after (3 x 2).
    const drydockReads = 2 + 1 + 4 + 2 + 3 + (1 + 4 + 2 + 1) + 4 + 6;
    expect(drydockReads).toBe(30);
    expect(reads.length).toBeLessThan(drydockReads / 5);
  });

  it('is idempotent: a re-run gives the same interfaces and links, no second bond or VLAN interface', async () => {
    const { apply, m } = await lab();
    await apply();
    const shape = () => m.interfaces.map((i) => [i.name, i.type, i.parents, i.vlanId, i.mtu, i.links.map((l) => [l.mode, l.subnetId, l.ipAddress])]);
    const first = JSON.stringify(shape());
    expect(await apply()).toMatchObject({ state: 'done' });
    expect(JSON.stringify(shape())).toBe(first);
    expect(m.interfaces.filter((i) => i.type === 'bond')).toHaveLength(1);
  });

  it('fails naming node and device when a slave NIC is missing, and changes nothing', async () => {
    const n = node();
    n.interfaces[1] = { ...n.interfaces[1]!, hardwareSlaves: ['eno2', 'eno9'] };
    const { apply, since, m } = await lab(n);
    const answer = await apply();
    expect(answer).toEqual({ state: 'failed', reason: `node n01: interface bond0: device eno9 is not an interface of MAAS machine ${m.systemId} (it has eno1, eno2, eno3)` });
    expect(since().filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('fails naming node, device and network when a network has no MAAS subnet', async () => {
    const ghost = makeNetwork('ghost', { cidr: '10.99.0.0/24', vlanId: '199' });
    const n = node();
    n.interfaces[1] = { ...n.interfaces[1]!, networks: ['mgmt', 'ghost'] };
    const { apply, ctx, since } = await lab(n);
    ctx.site.networks.set('ghost', ghost);
    expect(await apply()).toEqual({ state: 'failed', reason: 'node n01: interface bond0: network ghost (10.99.0.0/24) has no MAAS subnet (create_network_template makes it)' });
    expect(since().filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('fails naming node, interface and what MAAS said when MAAS refuses a link', async () => {
    const n = node();
    n.addressing[1] = { network: 'mgmt', type: 'static', address: '10.23.99.11' };
    const { apply, m } = await lab(n);
    const answer = await apply();
    expect(answer).toMatchObject({ state: 'failed', reason: expect.stringMatching(
      /^node n01: interface bond0: MAAS POST nodes\/\w+\/interfaces\/\d+\/\?op=link_subnet answered HTTP 400: .*IP address is not in the given subnet 'mgmt'/) });
    expect(m.interfaces.find((i) => i.name === 'bond0.120')?.links.filter((l) => l.mode === 'static')).toEqual([]);
  });

  it('resolves a hardware profile alias to the NIC at its bus address (lshw from op=details, read only then)', async () => {
    const hw = makeHardwareProfile('hw', { deviceAliases: { pxe_nic01: { address: '0000:19:00.0', busType: 'pci', devType: 'NIC' } } });
    const n = node({ hardwareProfile: 'hw' });
    n.interfaces[0] = { ...n.interfaces[0]!, hardwareSlaves: ['pxe_nic01'] };
    const { apply, iface, since, m } = await lab(n, NODE_STATUS.READY, [hw]);
    m.interfaces[0]!.businfo = 'pci@0000:19:00.0';
    expect(await apply()).toMatchObject({ state: 'done' });
    expect(iface('eno1').links.map((l) => l.mode)).toEqual(['dhcp']);
    expect(since().filter((q) => q.op === 'details')).toHaveLength(1);
  });

  it("finds a NIC in lshw by its bus address: its kernel name (the last part of a path), the first node that has one; regexp addresses too", () => {
    const lshw = `<node id="pci:2" class="bridge"><businfo>pci@0000:00:03.0</businfo>
      <node id="network:0" claimed="true" class="network" handle="PCI:0000:19:00.0"><businfo>pci@0000:19:00.0</businfo>
        <logicalname>ens3f0</logicalname><configuration><setting id="driver" value="i40e" /></configuration></node>
      <node id="network:1" claimed="true" class="network"><businfo>pci@0000:19:00.1</businfo><logicalname>/dev/net/ens3f1</logicalname></node>
      <node id="network:2" class="network"><businfo>pci@0000:19:00.0</businfo><logicalname>other</logicalname></node></node>`;
    expect(logicalNameOf(lshw, 'pci', '0000:19:00.0')).toBe('ens3f0');
    expect(logicalNameOf(lshw, 'pci', '0000:19:00.1')).toBe('ens3f1');
    expect(logicalNameOf(lshw, 'pci', 'regexp:0000:19:00\\.1')).toBe('ens3f1');
    expect(logicalNameOf(lshw, 'pci', '0000:00:03.0')).toBeNull();
  });

  it("sends default_gateway only with a static link: a DHCP primary network gets none (Drydock sends it; MAAS refuses it in mode 'dhcp')", async () => {
    const { apply, m, iface, subnet, since } = await lab(node({ primaryNetwork: 'pxe' }));
    // What Drydock's link_subnet sends for it, once the NIC is on the subnet's VLAN:
    iface('eno1').vlanId = subnet('10.23.10.0/24').vlanId;
    const refused = await call(sim!, 'POST', `nodes/${m.systemId}/interfaces/${iface('eno1').id}/`, {
      op: 'link_subnet', form: { mode: 'dhcp', subnet: String(subnet('10.23.10.0/24').id), default_gateway: 'True' } });
    expect([refused.status, await refused.json()]).toEqual([400, { default_gateway: ["Cannot use in mode 'dhcp'."] }]);
    expect(await apply()).toMatchObject({ state: 'done' });
    expect(since().filter((q) => q.op === 'link_subnet' && 'default_gateway' in q.form && q.status === 200)).toEqual([]);
    expect(iface('eno1').links.map((l) => l.mode)).toEqual(['dhcp']);
  });

  it("puts a NIC on its link's native network's VLAN even when tagged (Drydock attaches it to the untagged VLAN, where MAAS refuses the link)", async () => {
    const nativeLink = makeLink('pxe-link', { nativeNetwork: 'mgmt', allowedNetworks: ['mgmt'] });
    const n = node({ interfaces: [{ deviceName: 'eno1', networkLink: 'pxe-link', hardwareSlaves: ['eno1'], networks: ['mgmt'], sriov: false, vfCount: null, trustedMode: null }] });
    sim = await startMaasSimulator({ machines: [{ hostname: 'n01', mac: '52:54:00:00:00:01', status: NODE_STATUS.READY }] });
    const { driver, ctx } = maasContext(sim, [n]);
    ctx.site = siteOf({ networks: [mgmt], links: [nativeLink], nodes: [n] });
    await driver.run(ctx, 'create_network_template', null);
    expect(await driver.run(ctx, 'apply_node_networking', n)).toMatchObject({ state: 'done' });
    const eno1 = sim.machine('n01').interfaces[0]!;
    expect(sim.machine('n01').interfaces.map((i) => i.name)).toEqual(['eno1']);
    expect(sim.state.network.vlans.find((v) => v.id === eno1.vlanId)?.vid).toBe(120);
    expect(eno1.links.map((l) => [l.mode, l.ipAddress])).toEqual([['static', '10.23.20.11']]);
  });

  it("replaces the AUTO link MAAS's reset gives the boot NIC on the PXE subnet it discovered", async () => {
    sim = await startMaasSimulator({ machines: [{ hostname: 'n01', mac: '52:54:00:00:00:01', extraMacs: ['52:54:00:00:00:02', '52:54:00:00:00:03'], status: NODE_STATUS.READY }] });
    const discovered = await callJson(sim, 'POST', 'subnets/', { form: { cidr: '10.23.10.0/24', vlan: String(sim.state.network.defaultVlan().id) } });
    const n = node();
    const { driver, ctx } = maasContext(sim, [n]);
    ctx.site = siteOf({ networks: [pxe, mgmt, storage], links: [pxeLink, dataLink], nodes: [n] });
    await driver.run(ctx, 'create_network_template', null);
    const mark = sim.requests.length;
    expect(await driver.run(ctx, 'apply_node_networking', n)).toMatchObject({ state: 'done' });
    const eno1 = sim.machine('n01').interfaces[0]!;
    expect([eno1.vlanId, eno1.links.map((l) => [l.mode, l.subnetId])]).toEqual([sim.state.network.defaultVlan().id, [['dhcp', discovered.id]]]);
    expect(sim.requests.slice(mark).filter((q) => q.op === 'unlink_subnet').map((q) => q.status)).toEqual([200]);
  });

  it('leaves a machine that is not Ready: New fails, Deployed is skipped as done, neither changed', async () => {
    const fresh = await lab(node(), NODE_STATUS.NEW);
    expect(await fresh.apply()).toEqual({ state: 'failed', reason: 'node n01 is New in MAAS; networking is applied to a Ready machine' });
    fresh.m.status = NODE_STATUS.DEPLOYED;
    expect(await fresh.apply()).toMatchObject({ state: 'done', detail: 'node n01 is deployed; destroy it first to change its networking' });
    expect(fresh.since().filter((q) => q.method !== 'GET')).toEqual([]);
  });
});
