import { afterEach, describe, expect, it } from 'vitest';
import { decodeBsonBinaries } from './bson.ts';
import { startMaasSimulator, type MaasSimulator } from './simulator.ts';
import { NODE_STATUS } from './status.ts';
import { call, callJson } from './test-client.ts';

let sim: MaasSimulator;
afterEach(async () => sim?.close());

const start = () => startMaasSimulator({
  machines: [{ hostname: 'n01', mac: '52:54:00:00:00:01' }, { hostname: 'n02', mac: '52:54:00:00:00:02' }],
  timing: { commissionTicks: 2, deployTicks: 3, releaseTicks: 1 },
});
const statusOf = async (id: string) => (await callJson(sim, 'GET', `machines/${id}/`)).status_name as string;

describe('MAAS simulator: lifecycle on the test clock', () => {
  it('goes New → Commissioning → Ready → Allocated → Deploying → Deployed → Releasing → Ready', async () => {
    sim = await start();
    const id = sim.machine('n01').systemId;
    expect(await statusOf(id)).toBe('New');
    const c = await callJson(sim, 'POST', `machines/${id}/`, { op: 'commission', form: { enable_ssh: '0' } });
    expect([c.status, c.status_name]).toEqual([NODE_STATUS.COMMISSIONING, 'Commissioning']);
    sim.advance();
    expect(await statusOf(id)).toBe('Commissioning');
    sim.advance();
    expect(await statusOf(id)).toBe('Ready');

    const a = await callJson(sim, 'POST', 'machines/', { op: 'allocate', multipart: true, form: { system_id: id } });
    expect([a.status_name, a.owner]).toEqual(['Allocated', 'admin']);
    await callJson(sim, 'POST', `machines/${id}/`, { op: 'set_workload_annotations', form: { site: 'lab', rack: 'r1' } });
    await callJson(sim, 'POST', `machines/${id}/`, { op: 'set_workload_annotations', form: { rack: '' } });
    expect(sim.machine('n01').ownerData).toEqual({ site: 'lab' });

    const userData = Buffer.from('#cloud-config\n').toString('base64');
    const d = await callJson(sim, 'POST', `machines/${id}/`, { op: 'deploy', multipart: true,
      form: { distro_series: 'jammy', hwe_kernel: 'ga-22.04', user_data: userData } });
    expect(d.status_name).toBe('Deploying');
    expect(sim.machine('n01').userData).toBe(userData);
    sim.advance(3);
    const deployed = await callJson(sim, 'GET', `machines/${id}/`);
    expect([deployed.status_name, deployed.distro_series, deployed.owner_data]).toEqual(['Deployed', 'jammy', { site: 'lab' }]);

    const r = await callJson(sim, 'POST', `machines/${id}/`, { op: 'release', form: { erase: 'true' } });
    // With erase, MAAS shows the release as Disk erasing (models/node.py start_releasing).
    expect([r.status, r.status_name]).toEqual([NODE_STATUS.DISK_ERASING, 'Disk erasing']);
    sim.advance();
    const released = await callJson(sim, 'GET', `machines/${id}/`);
    expect([released.status_name, released.owner, released.owner_data]).toEqual(['Ready', null, {}]);
  });

  it('deploys straight from Ready (MAAS allocates first) and refuses deploy of a New machine with 409', async () => {
    sim = await start();
    const [n01, n02] = [sim.machine('n01'), sim.machine('n02')];
    const refused = await call(sim, 'POST', `machines/${n01.systemId}/`, { op: 'deploy' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toBe("Can't deploy a machine that is in the 'New' state");
    n02.status = NODE_STATUS.READY;
    const d = await callJson(sim, 'POST', `machines/${n02.systemId}/`, { op: 'deploy' });
    expect([d.status_name, d.owner]).toEqual(['Deploying', 'admin']);
  });

  it('answers 409 for ops in the wrong state, as the handlers do', async () => {
    sim = await start();
    const m = sim.machine('n01');
    const rel = await call(sim, 'POST', `machines/${m.systemId}/`, { op: 'release' });
    expect([rel.status, await rel.text()]).toEqual([409, "Machine cannot be released in its current state ('New')."]);
    const ann = await call(sim, 'POST', `machines/${m.systemId}/`, { op: 'set_workload_annotations', form: { a: 'b' } });
    expect([ann.status, await ann.text()]).toEqual([409, "Cannot set workload annotation: it hasn't been acquired."]);
    m.status = NODE_STATUS.DEPLOYED;
    const com = await call(sim, 'POST', `machines/${m.systemId}/`, { op: 'commission' });
    expect([com.status, await com.text()]).toEqual([409, 'Invalid transition: Deployed -> Commissioning.']);
    const alloc = await call(sim, 'POST', 'machines/', { op: 'allocate', form: { system_id: m.systemId } });
    expect([alloc.status, await alloc.text()]).toEqual([409, `No machine with system ID ${m.systemId} available.`]);
  });

  it('ends in Failed commissioning / Failed deployment for the failing variants', async () => {
    sim = await start();
    sim.failCommissioning('n01');
    sim.failDeploy('n02');
    const [n01, n02] = [sim.machine('n01'), sim.machine('n02')];
    await callJson(sim, 'POST', `machines/${n01.systemId}/`, { op: 'commission' });
    n02.status = NODE_STATUS.READY;
    await callJson(sim, 'POST', `machines/${n02.systemId}/`, { op: 'deploy' });
    sim.advance(5);
    expect(await statusOf(n01.systemId)).toBe('Failed commissioning');
    const failed = await callJson(sim, 'GET', `machines/${n02.systemId}/`);
    expect([failed.status, failed.status_name]).toEqual([NODE_STATUS.FAILED_DEPLOYMENT, 'Failed deployment']);
    // A failed deployment can be released (RELEASABLE_STATUSES), and recommissioning a failed one is allowed.
    const rel = await callJson(sim, 'POST', `machines/${n02.systemId}/`, { op: 'release' });
    expect(rel.status_name).toBe('Releasing');
    expect((await call(sim, 'POST', `machines/${n01.systemId}/`, { op: 'commission' })).status).toBe(200);
  });

  it('serves details as BSON and commissioning results once commissioned', async () => {
    sim = await start();
    const id = sim.machine('n01').systemId;
    const before = decodeBsonBinaries(new Uint8Array(await (await call(sim, 'GET', `machines/${id}/`, { op: 'details' }))
      .arrayBuffer()));
    expect(before).toEqual({ lldp: null, lshw: null });
    await callJson(sim, 'POST', `machines/${id}/`, { op: 'commission' });
    sim.advance(2);
    const res = await call(sim, 'GET', `machines/${id}/`, { op: 'details' });
    expect(res.headers.get('content-type')).toBe('application/bson');
    const details = decodeBsonBinaries(new Uint8Array(await res.arrayBuffer()));
    expect(details.lshw!.toString()).toContain('<serial>52:54:00:00:00:01</serial>');
    const results = await callJson(sim, 'GET', 'commissioning-results/', { query: { system_id: id, result_type: '0' } });
    expect(results.map((x: any) => x.name)).toContain('maas-lshw');
    expect(Buffer.from(results[0].data, 'base64').toString()).toContain('<list>');
  });

  it('answers the next N requests with 503, then recovers', async () => {
    sim = await start();
    sim.failNext(2);
    expect((await call(sim, 'GET', 'machines/')).status).toBe(503);
    expect((await call(sim, 'GET', 'version/', { authorization: null })).status).toBe(503);
    expect((await call(sim, 'GET', 'machines/')).status).toBe(200);
    expect(sim.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('logs each request with method, path, op, query and form fields', async () => {
    sim = await start();
    const id = sim.machine('n01').systemId;
    await call(sim, 'POST', `machines/${id}/`, { op: 'commission', multipart: true, form: { skip_networking: '1' } });
    expect(sim.calls({ op: 'commission' })).toEqual([{ method: 'POST', path: `/MAAS/api/2.0/machines/${id}/`,
      op: 'commission', query: { op: ['commission'] }, form: { skip_networking: ['1'] }, status: 200 }]);
  });
});

describe('MAAS simulator: variants for client error handling', () => {
  it('keeps a stalled machine in Commissioning however far the clock moves', async () => {
    sim = await start();
    sim.stallCommissioning('n01');
    const id = sim.machine('n01').systemId;
    await callJson(sim, 'POST', `machines/${id}/`, { op: 'commission' });
    sim.advance(1000);
    expect(await statusOf(id)).toBe('Commissioning');
  });

  it('answers other failure statuses on request, and leaves hung requests unanswered', async () => {
    sim = await start();
    sim.failNext(1, 429);
    expect((await call(sim, 'GET', 'machines/')).status).toBe(429);
    sim.hangNext(1);
    const hung = await Promise.race([
      call(sim, 'GET', 'machines/').then(() => 'answered', () => 'failed'),
      new Promise((resolve) => setTimeout(() => resolve('timeout'), 200)),
    ]);
    expect(hung).toBe('timeout');
    expect((await call(sim, 'GET', 'machines/')).status).toBe(200);
  });

  it('decodes deploy user_data once, so a twice-encoded blob stays base64', async () => {
    sim = await start();
    const m = sim.machine('n02');
    m.status = NODE_STATUS.READY;
    const once = Buffer.from('#cloud-config\n').toString('base64');
    await callJson(sim, 'POST', `machines/${m.systemId}/`, { op: 'deploy', form: { user_data: Buffer.from(once).toString('base64') } });
    expect(sim.userDataOf('n02')).toBe(once);
  });
});
