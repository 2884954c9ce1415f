import { describe, expect, it } from 'vitest';
import { fakeLabMachines } from '../../src/db/schema/fakelab.ts';
import type { MachineSummary, NodeDriver } from '../../src/drivers/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { auth, READER, taskApp } from './tasks-fixtures.ts';

const MACHINE: MachineSummary = {
  hostname: 'n1',
  memory: 65536,
  cpu_count: 16,
  status_name: 'Ready',
  boot_mac: '52:54:00:00:00:01',
  power_state: 'off',
  power_address: '10.0.0.11',
  boot_ip: null,
};

/** The app with a node driver that only lists machines (no getMachine). */
async function appWithMachines(listMachines: NodeDriver['listMachines']) {
  const built = await taskApp();
  built.services.drivers = { ...built.services.drivers, node: { ...built.services.drivers.node, name: 'stub', listMachines, getMachine: undefined } };
  return built;
}

describe('GET /api/v1.0/nodes', () => {
  it('lists the machines as the enabled node driver knows them', async () => {
    const seen: unknown[] = [];
    const { app } = await appWithMachines(async (ctx) => {
      seen.push(ctx);
      return [MACHINE];
    });
    const res = await app.request('/api/v1.0/nodes', auth());
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual([MACHINE]);
    expect(seen[0]).toMatchObject({ db: expect.anything(), config: expect.anything(), fetch: expect.any(Function) });
  });

  it('answers an empty list when the driver knows no machine', async () => {
    const { app } = await appWithMachines(async () => []);
    expect(await jsonOf(await app.request('/api/v1.0/nodes', auth()))).toEqual([]);
  });

  it("answers 502 when the driver fails, keeping the driver's message in the log", async () => {
    const { app, logs } = await appWithMachines(async () => Promise.reject(new Error('connect ECONNREFUSED http://maas.internal:5240')));
    const res = await app.request('/api/v1.0/nodes', auth());
    expect(res.status).toBe(502);
    const text = JSON.stringify(await jsonOf(res));
    expect(text).toContain('stub node driver could not list machines');
    expect(text).not.toContain('maas.internal');
    expect(logs.some((l) => l.level === 'error' && String(l.record['error']).includes('maas.internal'))).toBe(true);
  });

  it('lists the fake lab by default', async () => {
    const { app, services } = await taskApp();
    expect(services.drivers.node.name).toBe('fake');
    const res = await app.request('/api/v1.0/nodes', auth());
    expect(res.status).toBe(200);
    expect(Array.isArray(await jsonOf(res))).toBe(true);
  });

  it('applies read_data', async () => {
    const { app } = await appWithMachines(async () => [MACHINE]);
    expect((await app.request('/api/v1.0/nodes')).status).toBe(401);
    expect((await app.request('/api/v1.0/nodes', auth(READER))).status).toBe(403);
  });
});

describe('GET /api/v1.0/nodes/{hostname}', () => {
  it('answers the one machine the node driver knows by that name', async () => {
    const { app } = await appWithMachines(async () => [{ ...MACHINE, hostname: 'n0' }, MACHINE]);
    const res = await app.request('/api/v1.0/nodes/n1', auth());
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual(MACHINE);
  });

  it('answers 404 in the error envelope for a machine it does not know', async () => {
    const { app } = await appWithMachines(async () => [MACHINE]);
    const res = await app.request('/api/v1.0/nodes/n9', auth());
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: expect.stringContaining('n9') });
  });

  it('reads one machine of the fake lab without listing the lab', async () => {
    const { app, services, db } = await taskApp();
    const now = new Date();
    await db.insert(fakeLabMachines).values({
      nodeName: 'lab01',
      status: 'Ready',
      powerState: 'off',
      memoryMb: 1024,
      cpuCount: 2,
      bootMac: '52:54:00:00:00:09',
      powerAddress: null,
      bootIp: null,
      updated: now,
    });
    services.drivers.node.listMachines = async () => Promise.reject(new Error('listed the whole lab'));
    const res = await app.request('/api/v1.0/nodes/lab01', auth());
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toMatchObject({ hostname: 'lab01', status_name: 'Ready', memory: 1024, cpu_count: 2 });
    expect((await app.request('/api/v1.0/nodes/lab02', auth())).status).toBe(404);
  });

  it('applies read_data', async () => {
    const { app } = await appWithMachines(async () => [MACHINE]);
    expect((await app.request('/api/v1.0/nodes/n1')).status).toBe(401);
    expect((await app.request('/api/v1.0/nodes/n1', auth(READER))).status).toBe(403);
  });
});
