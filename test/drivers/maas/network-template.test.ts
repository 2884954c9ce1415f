import { afterEach, describe, expect, it } from 'vitest';
import { makeLink, makeNetwork, siteOf } from '../../helpers/site-model.ts';
import { startMaasSimulator, type MaasSimulator } from '../../maas/simulator.ts';
import { maasContext } from './context.ts';

// create_network_template against the MAAS simulator: what MAAS holds after it.

let sim: MaasSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const mgmt = makeNetwork('mgmt', {
  cidr: '10.23.20.0/24',
  vlanId: '120',
  mtu: 9000,
  dnsDomain: 'mgmt.east.example.com',
  dnsServers: ['10.23.0.53'],
  ranges: [{ type: 'reserved', start: '10.23.20.1', end: '10.23.20.9' }],
  routes: [
    { subnet: '0.0.0.0/0', gateway: '10.23.20.1', metric: null, routedomain: null },
    { subnet: '10.23.30.0/24', gateway: '10.23.20.2', metric: 50, routedomain: null },
  ],
});
const storage = makeNetwork('storage', { cidr: '10.23.30.0/24', vlanId: '130' });
const link = makeLink('bond0', { mtu: 9000, allowedNetworks: ['mgmt', 'storage'], trunkMode: '802.1q' });

async function run(networks = [mgmt, storage], links = [link]) {
  sim ??= await startMaasSimulator();
  const { driver, ctx } = maasContext(sim, []);
  ctx.site = siteOf({ networks, links });
  return driver.run(ctx, 'create_network_template', null);
}

describe('MAAS network template', () => {
  it('makes the link a fabric with a VLAN and subnet per network, their domain, gateway, DNS, ranges and routes', async () => {
    expect(await run()).toMatchObject({ state: 'done' });
    const net = sim!.state.network;
    const fabric = net.fabrics.find((f) => f.name === 'bond0')!;
    expect(fabric).toBeDefined();
    const vlans = net.vlans.filter((v) => v.fabricId === fabric.id);
    expect(vlans.map((v) => [v.vid, v.name, v.mtu]).sort()).toEqual([[0, 'untagged', 9000], [120, 'mgmt', 9000], [130, 'storage', 1500]].sort());
    const subnet = net.subnets.find((s) => s.cidr === '10.23.20.0/24')!;
    expect([subnet.name, subnet.gatewayIp, subnet.dnsServers]).toEqual(['mgmt', '10.23.20.1', ['10.23.0.53']]);
    expect(net.domains.map((d) => d.name)).toContain('mgmt.east.example.com');
    expect(net.ipranges.map((r) => [r.type, r.startIp, r.endIp])).toEqual([['reserved', '10.23.20.1', '10.23.20.9']]);
    const storageSubnet = net.subnets.find((s) => s.cidr === '10.23.30.0/24')!;
    expect(net.staticRoutes.map((r) => [r.sourceId, r.destinationId, r.gatewayIp, r.metric])).toEqual([[subnet.id, storageSubnet.id, '10.23.20.2', 50]]);
  });

  it('changes nothing twice when run again: no second range, route or domain', async () => {
    await run();
    const before = JSON.stringify({ r: sim!.state.network.ipranges.length, s: sim!.state.network.staticRoutes.length, d: sim!.state.network.domains.length });
    expect(await run()).toMatchObject({ state: 'done' });
    expect(JSON.stringify({ r: sim!.state.network.ipranges.length, s: sim!.state.network.staticRoutes.length, d: sim!.state.network.domains.length })).toBe(before);
  });

  it('fails a network that needs DHCP where no rack controller is on its VLAN, naming it', async () => {
    const pxe = makeNetwork('pxe', { cidr: '10.23.10.0/24', ranges: [{ type: 'dhcp', start: '10.23.10.100', end: '10.23.10.200' }] });
    const answer = await run([pxe], [makeLink('pxe-link', { allowedNetworks: ['pxe'] })]);
    expect(answer).toEqual({ state: 'failed', reason: 'network pxe needs DHCP, but no healthy rack controller has an interface on its VLAN' });
    expect(sim!.state.network.ipranges.map((r) => r.type)).toEqual(['dynamic']);
  });
});
