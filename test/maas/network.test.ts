import { afterEach, describe, expect, it } from 'vitest';
import { startMaasSimulator, type MaasSimulator } from './simulator.ts';
import { call, callJson } from './test-client.ts';

let sim: MaasSimulator;
afterEach(async () => sim?.close());

describe('MAAS simulator: network resources', () => {
  it('creates a fabric with its untagged VLAN, then a tagged VLAN addressed by fabric and vid', async () => {
    sim = await startMaasSimulator();
    const fabric = await callJson(sim, 'POST', 'fabrics/', { form: { name: 'oob' } });
    expect(fabric.vlans.map((v: any) => [v.vid, v.name])).toEqual([[0, 'untagged']]);
    const vlan = await callJson(sim, 'POST', `fabrics/${fabric.id}/vlans/`, { form: { vid: '100', mtu: '9000' } });
    expect([vlan.vid, vlan.mtu, vlan.fabric, vlan.fabric_id]).toEqual([100, 9000, 'oob', fabric.id]);
    const byVid = await callJson(sim, 'GET', `fabrics/${fabric.id}/vlans/100/`);
    expect(byVid.id).toBe(vlan.id);
    const dup = await call(sim, 'POST', `fabrics/${fabric.id}/vlans/`, { form: { vid: '100' } });
    expect(dup.status).toBe(400);
    const noVid = await call(sim, 'POST', `fabrics/${fabric.id}/vlans/`, { form: { name: 'x' } });
    expect(await noVid.json()).toEqual({ vid: ['This field is required.'] });
  });

  it('refuses DHCP on a VLAN without a primary rack, accepts it with one', async () => {
    sim = await startMaasSimulator();
    expect((await call(sim, 'PUT', 'vlans/5001/', { form: { dhcp_on: 'true' } })).status).toBe(400);
    const v = await callJson(sim, 'PUT', 'vlans/5001/', { form: { dhcp_on: 'true', primary_rack: 'rack01' } });
    expect([v.dhcp_on, v.primary_rack]).toEqual([true, 'rack01']);
  });

  it('creates subnets, IP ranges and static routes that embed their subnet documents', async () => {
    sim = await startMaasSimulator();
    const a = await callJson(sim, 'POST', 'subnets/', { form: { cidr: '172.16.1.0/24', vlan: '5001',
      gateway_ip: '172.16.1.1', dns_servers: '8.8.8.8,8.8.4.4' } });
    expect([a.name, a.gateway_ip, a.dns_servers, a.vlan.id]).toEqual(['172.16.1.0/24', '172.16.1.1', ['8.8.8.8', '8.8.4.4'], 5001]);
    const b = await callJson(sim, 'POST', 'subnets/', { form: { cidr: '10.0.0.0/16', fabric: '0', vid: '0' } });
    expect((await callJson(sim, 'GET', 'subnets/172.16.1.0/24/')).id).toBe(a.id);
    const range = await callJson(sim, 'POST', 'ipranges/', { form: { type: 'dynamic', start_ip: '172.16.1.100',
      end_ip: '172.16.1.200', subnet: String(a.id) } });
    expect([range.type, range.subnet.cidr]).toEqual(['dynamic', '172.16.1.0/24']);
    const route = await callJson(sim, 'POST', 'static-routes/', { form: { source: String(a.id),
      destination: String(b.id), gateway_ip: '172.16.1.254', metric: '10' } });
    expect([route.source.cidr, route.destination.cidr, route.metric]).toEqual(['172.16.1.0/24', '10.0.0.0/16', 10]);
    expect((await call(sim, 'DELETE', `ipranges/${range.id}/`)).status).toBe(204);
    expect(await callJson(sim, 'GET', 'ipranges/')).toEqual([]);
    const gone = await call(sim, 'GET', 'subnets/999/');
    expect([gone.status, await gone.text()]).toEqual([404, 'No Subnet matches the given query.']);
  });

  it('lists and creates domains; a machine moves to one by PUT', async () => {
    sim = await startMaasSimulator({ machines: [{ hostname: 'n01', mac: '52:54:00:00:00:01' }] });
    const d = await callJson(sim, 'POST', 'domains/', { form: { name: 'site.example' } });
    const m = await callJson(sim, 'PUT', `machines/${sim.machine('n01').systemId}/`, { form: { domain: String(d.id) } });
    expect(m.fqdn).toBe('n01.site.example');
    const list = await callJson(sim, 'GET', 'domains/');
    expect(list.find((x: any) => x.name === 'site.example').resource_record_count).toBe(1);
    expect((await call(sim, 'POST', 'domains/', { form: { name: 'site.example' } })).status).toBe(400);
  });
});

describe('MAAS simulator: site services', () => {
  it('answers boot resources, import status and rack controller services', async () => {
    sim = await startMaasSimulator();
    expect((await callJson(sim, 'GET', 'boot-resources/')).length).toBeGreaterThan(0);
    expect(await callJson(sim, 'GET', 'boot-resources/', { op: 'is_importing' })).toBe(false);
    sim.state.bootImportRunning = true;
    expect(await callJson(sim, 'GET', 'boot-resources/', { op: 'is_importing' })).toBe(true);
    const [rack] = await callJson(sim, 'GET', 'rackcontrollers/');
    const svc = Object.fromEntries(rack.service_set.map((s: any) => [s.name, s.status]));
    expect(svc).toMatchObject({ rackd: 'running', http: 'running', tftp: 'running', dhcpd: 'running' });
  });

  it('adds SSH keys (201) and package repositories; refuses a duplicate key', async () => {
    sim = await startMaasSimulator();
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample op@site';
    const res = await call(sim, 'POST', 'account/prefs/sshkeys/', { form: { key } });
    expect(res.status).toBe(201);
    expect((await call(sim, 'POST', 'account/prefs/sshkeys/', { form: { key } })).status).toBe(400);
    expect((await callJson(sim, 'GET', 'account/prefs/sshkeys/')).map((k: any) => k.key)).toEqual([key]);
    const repo = await callJson(sim, 'POST', 'package-repositories/', { form: { name: 'docker',
      url: 'https://download.docker.com/linux/ubuntu', distributions: 'jammy', components: 'stable' } });
    expect([repo.distributions, repo.components]).toEqual([['jammy'], ['stable']]);
  });

  it('creates tags and adds/removes machines with update_nodes', async () => {
    sim = await startMaasSimulator({ machines: [{ hostname: 'n01', mac: '52:54:00:00:00:01' }] });
    const id = sim.machine('n01').systemId;
    await callJson(sim, 'POST', 'tags/', { form: { name: 'kernel_params', kernel_opts: 'console=ttyS0' } });
    expect((await call(sim, 'POST', 'tags/', { form: { name: 'kernel_params' } })).status).toBe(400);
    expect(await callJson(sim, 'POST', 'tags/kernel_params/', { op: 'update_nodes', form: { add: id } }))
      .toEqual({ added: 1, removed: 0 });
    expect((await callJson(sim, 'GET', `machines/${id}/`)).tag_names).toEqual(['kernel_params']);
    expect((await callJson(sim, 'GET', 'tags/kernel_params/', { op: 'machines' }))[0].system_id).toBe(id);
    expect(await callJson(sim, 'POST', 'tags/kernel_params/', { op: 'update_nodes', form: { remove: id } }))
      .toEqual({ added: 0, removed: 1 });
    expect((await call(sim, 'POST', 'tags/nosuch/', { op: 'update_nodes' })).status).toBe(404);
  });
});

describe('MAAS simulator: updates by PUT', () => {
  it('changes only the fields sent, for IP ranges, static routes, domains and package repositories', async () => {
    sim = await startMaasSimulator();
    const a = await callJson(sim, 'POST', 'subnets/', { form: { cidr: '10.1.0.0/24' } });
    const b = await callJson(sim, 'POST', 'subnets/', { form: { cidr: '10.2.0.0/24' } });
    const range = await callJson(sim, 'POST', 'ipranges/', { form: { type: 'reserved', start_ip: '10.1.0.1',
      end_ip: '10.1.0.9', subnet: '10.1.0.0/24' } });
    const r2 = await callJson(sim, 'PUT', `ipranges/${range.id}/`, { form: { end_ip: '10.1.0.19' } });
    expect([r2.start_ip, r2.end_ip]).toEqual(['10.1.0.1', '10.1.0.19']);
    const route = await callJson(sim, 'POST', 'static-routes/', { form: { source: String(a.id), destination: String(b.id),
      gateway_ip: '10.1.0.254' } });
    expect((await callJson(sim, 'PUT', `static-routes/${route.id}/`, { form: { metric: '5' } })).metric).toBe(5);
    expect((await callJson(sim, 'PUT', 'domains/0/', { form: { ttl: '300' } })).ttl).toBe(300);
    const repo = await callJson(sim, 'PUT', 'package-repositories/1/', { form: { components: 'main,universe' } });
    expect([repo.name, repo.components]).toEqual(['main_archive', ['main', 'universe']]);
    expect((await call(sim, 'GET', 'package-repositories/99/')).status).toBe(404);
  });
});
