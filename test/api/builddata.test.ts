import { describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers/app.ts';
import { auth, NOW, READER, seedBuildData, taskApp, taskId } from './tasks-fixtures.ts';

const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
type Record_ = { generator: string; collected_date: string; data_element: string };

describe('GET /api/v1.0/nodes/{hostname}/builddata', () => {
  it("answers the node's build data newest first, in the seed's form", async () => {
    const { app, db } = await taskApp();
    const task = taskId();
    await seedBuildData(db, { nodeName: 'n1', taskId: task, generator: 'lshw', collectedDate: at(0), dataElement: 'first' });
    await seedBuildData(db, { nodeName: 'n1', taskId: task, generator: 'lldp', collectedDate: at(2), dataElement: 'second', dataFormat: 'text/plain' });
    await seedBuildData(db, { nodeName: 'n2', taskId: task, generator: 'lshw', collectedDate: at(5), dataElement: 'other node' });
    const res = await app.request('/api/v1.0/nodes/n1/builddata', auth());
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual([
      { node_name: 'n1', task_id: task, collected_date: at(2).toISOString(), generator: 'lldp', data_format: 'text/plain', data_element: 'second' },
      { node_name: 'n1', task_id: task, collected_date: at(0).toISOString(), generator: 'lshw', data_format: 'application/json', data_element: 'first' },
    ]);
  });

  it('answers only the newest record of each generator with latest=true', async () => {
    const { app, db } = await taskApp();
    const task = taskId();
    const seed = (generator: string, minutes: number, dataElement: string, nodeName = 'n1') =>
      seedBuildData(db, { nodeName, taskId: task, generator, collectedDate: at(minutes), dataElement });
    await seed('lshw', 0, 'lshw old');
    await seed('lshw', 10, 'lshw new');
    await seed('lshw', 5, 'lshw middle');
    await seed('lldp', 3, 'lldp only');
    await seed('lshw', 20, 'newer, but another node', 'n2');
    // Two records of one generator in the same instant: the later insert wins.
    await seed('ipmi', 7, 'ipmi first');
    await seed('ipmi', 7, 'ipmi second');
    const latest: Record_[] = await jsonOf(await app.request('/api/v1.0/nodes/n1/builddata?latest=true', auth()));
    expect(latest.map((r) => r.data_element)).toEqual(['lshw new', 'ipmi second', 'lldp only']);
    const all: Record_[] = await jsonOf(await app.request('/api/v1.0/nodes/n1/builddata?latest=false', auth()));
    expect(all).toHaveLength(6);
  });

  it("reads latest as Drydock does: TRUE in any case, anything else false", async () => {
    const { app, db } = await taskApp();
    const task = taskId();
    await seedBuildData(db, { nodeName: 'n1', taskId: task, generator: 'lshw', collectedDate: at(0) });
    await seedBuildData(db, { nodeName: 'n1', taskId: task, generator: 'lshw', collectedDate: at(1) });
    expect(await jsonOf(await app.request('/api/v1.0/nodes/n1/builddata?latest=True', auth()))).toHaveLength(1);
    expect(await jsonOf(await app.request('/api/v1.0/nodes/n1/builddata?latest=yes', auth()))).toHaveLength(2);
  });

  it('answers 404 when the node has no build data', async () => {
    const { app } = await taskApp();
    const res = await app.request('/api/v1.0/nodes/ghost/builddata?latest=true', auth());
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', message: 'No build data found', code: 404 });
  });

  it('applies read_build_data', async () => {
    const { app, db } = await taskApp();
    await seedBuildData(db, { nodeName: 'n1', taskId: taskId(), generator: 'lshw', collectedDate: at(0) });
    expect((await app.request('/api/v1.0/nodes/n1/builddata')).status).toBe(401);
    expect((await app.request('/api/v1.0/nodes/n1/builddata', auth(READER))).status).toBe(403);
    const open = await taskApp({ policy: { 'physical_provisioner:read_build_data': 'role:member' } });
    await seedBuildData(open.db, { nodeName: 'n1', taskId: taskId(), generator: 'lshw', collectedDate: at(0) });
    expect((await open.app.request('/api/v1.0/nodes/n1/builddata', auth(READER))).status).toBe(200);
  });
});
