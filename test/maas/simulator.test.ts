import { afterEach, describe, expect, it } from 'vitest';
import { signPlaintext } from './oauth.ts';
import { startMaasSimulator, type MaasSimulator } from './simulator.ts';
import { NODE_STATUS } from './status.ts';
import { call, callJson } from './test-client.ts';

let sim: MaasSimulator;
afterEach(async () => sim?.close());

const start = (extra: Parameters<typeof startMaasSimulator>[0] = {}) => startMaasSimulator({
  machines: [
    { hostname: 'n01', mac: '52:54:00:00:00:01', powerParameters: { power_address: '10.0.0.11', power_user: 'admin' } },
    { hostname: 'n02', mac: '52:54:00:00:00:02', status: NODE_STATUS.READY },
  ],
  timing: { commissionTicks: 2, deployTicks: 3, releaseTicks: 1 },
  ...extra,
});

describe('MAAS simulator: OAuth and version', () => {
  it('answers version/ without auth, with MAAS capabilities', async () => {
    sim = await start();
    const res = await call(sim, 'GET', 'version/', { authorization: null });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { capabilities: string[]; version: unknown };
    expect(body.capabilities).toContain('networks-management');
    expect(typeof body.version).toBe('string');
  });

  it('accepts a PLAINTEXT signature and refuses a wrong key with 401 and MAAS text', async () => {
    sim = await start();
    expect((await call(sim, 'GET', 'machines/')).status).toBe(200);
    const [c, t] = sim.apiKey.split(':');
    const wrongSecret = await call(sim, 'GET', 'machines/', { apiKey: `${c}:${t}:nope` });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers.get('www-authenticate')).toBe('OAuth realm="API"');
    expect(await wrongSecret.text()).toBe("Authorization Error: 'Invalid signature.'");
    const wrongConsumer = await call(sim, 'GET', 'machines/', { apiKey: `x:${t}:nope` });
    expect(await wrongConsumer.text()).toBe('Authorization Error: Invalid API key.');
    const anonymous = await call(sim, 'GET', 'machines/', { authorization: null });
    expect(anonymous.status).toBe(401);
  });

  it('refuses a reused nonce and a stale timestamp', async () => {
    sim = await start();
    const [consumerKey, tokenKey, tokenSecret] = sim.apiKey.split(':') as [string, string, string];
    const now = Math.floor(Date.now() / 1000);
    const header = signPlaintext({ consumerKey, tokenKey, tokenSecret }, 'same-nonce', now);
    expect((await call(sim, 'GET', 'machines/', { authorization: header })).status).toBe(200);
    const again = await call(sim, 'GET', 'machines/', { authorization: header });
    expect(again.status).toBe(401);
    expect(await again.text()).toContain('Nonce already used');
    const stale = signPlaintext({ consumerKey, tokenKey, tokenSecret }, 'n2', now - 3600);
    expect(await (await call(sim, 'GET', 'machines/', { authorization: stale })).text()).toContain('Expired timestamp');
  });
});

describe('MAAS simulator: machines', () => {
  it('filters the collection by hostname, MAC and id, and refuses a malformed MAC', async () => {
    sim = await start();
    const byName = await callJson(sim, 'GET', 'machines/', { query: { hostname: 'n02' } });
    expect(byName.map((m: any) => m.hostname)).toEqual(['n02']);
    const byMac = await callJson(sim, 'GET', 'machines/', { query: { mac_address: '52:54:00:00:00:01' } });
    expect(byMac).toHaveLength(1);
    expect(byMac[0].boot_interface.mac_address).toBe('52:54:00:00:00:01');
    expect(byMac[0].interface_set[0].vlan.fabric).toBe('fabric-0');
    const byId = await callJson(sim, 'GET', 'machines/', { query: { id: sim.machine('n01').systemId } });
    expect(byId[0].hostname).toBe('n01');
    const bad = await call(sim, 'GET', 'machines/', { query: { mac_address: 'zz' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe('Invalid MAC address(es): zz');
  });

  it('finds a machine only by its MAC after its hostname changed', async () => {
    sim = await start();
    sim.machine('n01').hostname = 'unnamed-42';
    expect(await callJson(sim, 'GET', 'machines/', { query: { hostname: 'n01' } })).toEqual([]);
    const [m] = await callJson(sim, 'GET', 'machines/', { query: { mac_address: '52-54-00-00-00-01' } });
    expect(m.hostname).toBe('unnamed-42');
  });

  it('renders the machine document with MAAS fields and answers 404 for an unknown system_id', async () => {
    sim = await start();
    const id = sim.machine('n01').systemId;
    const m = await callJson(sim, 'GET', `machines/${id}/`);
    for (const f of ['system_id', 'hostname', 'fqdn', 'domain', 'status', 'status_name', 'power_state', 'power_type',
      'tag_names', 'owner_data', 'ip_addresses', 'interface_set', 'blockdevice_set', 'physicalblockdevice_set',
      'boot_interface', 'boot_disk', 'resource_uri']) expect(m).toHaveProperty(f);
    expect(m.status_name).toBe('New');
    expect(m.fqdn).toBe('n01.maas');
    const missing = await call(sim, 'GET', 'machines/nosuch/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('No Machine matches the given query.');
  });

  it('updates hostname and power parameters from a multipart PUT, and lists power parameters', async () => {
    sim = await start();
    const id = sim.machine('n01').systemId;
    await callJson(sim, 'PUT', `machines/${id}/`, { multipart: true, form: { hostname: 'compute01', power_type: 'redfish',
      power_parameters_power_address: '10.0.0.99', power_parameters_skip_check: 'true' } });
    expect(sim.machines[0]!.hostname).toBe('compute01');
    expect(sim.machines[0]!.powerParameters).toMatchObject({ power_address: '10.0.0.99' });
    expect(sim.machines[0]!.powerParameters).not.toHaveProperty('skip_check');
    const all = await callJson(sim, 'GET', 'machines/', { op: 'power_parameters' });
    expect(all[id].power_address).toBe('10.0.0.99');
    const bad = await call(sim, 'PUT', `machines/${id}/`, { form: { hostname: 'bad_name!' } });
    expect(bad.status).toBe(400);
    expect(Object.keys(await bad.json())).toEqual(['hostname']);
  });

  it('answers 400 Unrecognised signature for an op MAAS does not have', async () => {
    sim = await start();
    const res = await call(sim, 'POST', 'machines/', { op: 'frobnicate' });
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('Unrecognised signature: method=POST op=frobnicate');
  });
});

describe('MAAS simulator: enlistment and account', () => {
  it('creates a machine from its MACs and starts commissioning it (commission defaults to true)', async () => {
    sim = await start();
    const m = await callJson(sim, 'POST', 'machines/', { multipart: true, form: { hostname: 'n03',
      mac_addresses: ['52:54:00:00:00:03', '52:54:00:00:00:04'], architecture: 'amd64/generic', power_type: 'virsh',
      power_parameters_power_address: 'qemu+ssh://lab/system', power_parameters_power_id: 'n03' } });
    expect([m.status_name, m.interface_set.length, m.power_type]).toEqual(['Commissioning', 2, 'virsh']);
    expect(sim.machine('n03').powerParameters).toEqual({ power_address: 'qemu+ssh://lab/system', power_id: 'n03' });
    const dup = await call(sim, 'POST', 'machines/', { form: { mac_addresses: '52:54:00:00:00:03' } });
    expect(dup.status).toBe(400);
    expect(Object.keys(await dup.json())).toEqual(['mac_addresses']);
  });

  it('lists the authorisation tokens of the account', async () => {
    sim = await start();
    const tokens = await callJson(sim, 'GET', 'account/', { op: 'list_authorisation_tokens' });
    expect(tokens[0].token).toBe(sim.apiKey);
  });
});
