import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { auth, DAY, NOW, READER, seedBuildData, seedMessage, seedTask, taskApp } from './tasks-fixtures.ts';

/** Drydock's test tree: top -> (a, b), b -> (c with an error, d). */
async function seedTree(db: Db) {
  const at = (ms: number) => new Date(NOW.getTime() + ms);
  const top = await seedTask(db, { action: 'deploy_nodes', created: at(0) });
  const a = await seedTask(db, { action: 'apply_node_networking', parentTaskId: top, created: at(1) });
  const b = await seedTask(db, { action: 'deploy_node', parentTaskId: top, created: at(2) });
  const c = await seedTask(db, { action: 'deploy_node', parentTaskId: b, created: at(3), resultStatus: 'failure', resultFailures: ['n2'] });
  const d = await seedTask(db, { action: 'deploy_node', parentTaskId: b, created: at(4) });
  await seedMessage(db, c, 'Deploy failed', true);
  await seedMessage(db, c, 'Giving up', false);
  return { top, a, b, c, d };
}

const get = (app: Awaited<ReturnType<typeof taskApp>>['app'], path: string) => app.request(path, auth());

describe('GET /api/v1.0/tasks/{id} options', () => {
  it('lists subtask ids in creation order and counts error messages', async () => {
    const { app, db } = await taskApp();
    const t = await seedTree(db);
    expect((await jsonOf(await get(app, `/api/v1.0/tasks/${t.top}`))).subtask_id_list).toEqual([t.a, t.b]);
    const c = await jsonOf(await get(app, `/api/v1.0/tasks/${t.c}`));
    expect(c.parent_task_id).toBe(t.b);
    expect(c.result).toMatchObject({ status: 'failure', failures: ['n2'], details: { errorCount: 1 } });
    expect(c.result.details.messageList.map((m: { message: string }) => m.message)).toEqual(['Deploy failed', 'Giving up']);
    expect(c).not.toHaveProperty('build_data');
    expect(c).not.toHaveProperty('subtask_errors');
  });

  it('adds build_data with builddata=true', async () => {
    const { app, db } = await taskApp();
    const t = await seedTree(db);
    await seedBuildData(db, { nodeName: 'n1', taskId: t.top, generator: 'lshw', collectedDate: NOW, dataElement: '{"id":"n1"}' });
    const body = await jsonOf(await get(app, `/api/v1.0/tasks/${t.top}?builddata=true`));
    expect(body.build_data).toEqual([
      { node_name: 'n1', task_id: t.top, collected_date: NOW.toISOString(), generator: 'lshw', data_format: 'application/json', data_element: '{"id":"n1"}' },
    ]);
    expect((await jsonOf(await get(app, `/api/v1.0/tasks/${t.a}?builddata=True`))).build_data).toEqual([]);
  });

  it('adds subtask_errors from every depth with subtaskerrors=true', async () => {
    const { app, db } = await taskApp();
    const t = await seedTree(db);
    const body = await jsonOf(await get(app, `/api/v1.0/tasks/${t.top}?subtaskerrors=true`));
    expect(body.task_id).toBe(t.top);
    expect(Object.keys(body.subtask_errors)).toEqual([t.c]);
    expect(body.subtask_errors[t.c]).toMatchObject({ task_id: t.c, status: 'failure', details: { errorCount: 1 } });
    expect(body).not.toHaveProperty(t.c);
    expect((await jsonOf(await get(app, `/api/v1.0/tasks/${t.a}?subtaskerrors=true`))).subtask_errors).toEqual({});
  });

  it('answers the task and N layers of subtasks keyed by id with layers=N', async () => {
    const { app, db } = await taskApp();
    const t = await seedTree(db);
    const body = await jsonOf(await get(app, `/api/v1.0/tasks/${t.top}?layers=2`));
    expect(body.init_task_id).toBe(t.top);
    expect(Object.keys(body).sort()).toEqual(['init_task_id', t.top, t.a, t.b].sort());
    expect(body[t.b].subtask_id_list).toEqual([t.c, t.d]);
    const one = await jsonOf(await get(app, `/api/v1.0/tasks/${t.top}?layers=1`));
    expect(Object.keys(one).sort()).toEqual(['init_task_id', t.top].sort());
  });

  it('answers every layer with layers=-1, with subtask_errors only when asked', async () => {
    const { app, db } = await taskApp();
    const t = await seedTree(db);
    const all = await jsonOf(await get(app, `/api/v1.0/tasks/${t.top}?layers=-1`));
    expect(Object.keys(all).sort()).toEqual(['init_task_id', t.top, t.a, t.b, t.c, t.d].sort());
    expect(all).not.toHaveProperty('subtask_errors');
    const withErrors = await jsonOf(await get(app, `/api/v1.0/tasks/${t.top}?layers=-1&subtaskerrors=true`));
    expect(withErrors.subtask_errors[t.c].details.errorCount).toBe(1);
    // Drydock also wrote task_id into the listed subtask's own result; it stays clean here.
    expect(withErrors[t.c].result).not.toHaveProperty('task_id');
  });

  it('collects errors below the requested layers without listing those tasks', async () => {
    const { app, db } = await taskApp();
    const t = await seedTree(db);
    const body = await jsonOf(await get(app, `/api/v1.0/tasks/${t.top}?layers=2&subtaskerrors=true&builddata=true`));
    expect(body).not.toHaveProperty(t.c);
    expect(Object.keys(body.subtask_errors)).toEqual([t.c]);
    expect(body[t.a].build_data).toEqual([]);
  });

  it('answers 400 for a bad layers or boolean option', async () => {
    const { app, db } = await taskApp();
    const id = await seedTask(db);
    for (const q of ['layers=-2', 'layers=two', 'builddata=maybe', 'subtaskerrors=2']) {
      expect((await get(app, `/api/v1.0/tasks/${id}?${q}`)).status, q).toBe(400);
    }
  });
});

describe('GET /api/v1.0/tasks/{id}/builddata', () => {
  it("lists the task's build data, newest first", async () => {
    const { app, db } = await taskApp();
    const id = await seedTask(db);
    const other = await seedTask(db);
    await seedBuildData(db, { nodeName: 'n1', taskId: id, generator: 'lshw', collectedDate: new Date(NOW.getTime() - DAY) });
    await seedBuildData(db, { nodeName: 'n2', taskId: id, generator: 'lldp', collectedDate: NOW });
    await seedBuildData(db, { nodeName: 'n1', taskId: other, generator: 'lshw', collectedDate: NOW });
    const res = await get(app, `/api/v1.0/tasks/${id}/builddata`);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body.map((b: { node_name: string; task_id: string }) => [b.node_name, b.task_id])).toEqual([
      ['n2', id],
      ['n1', id],
    ]);
  });

  it('answers 404 for an unknown task and for a task without build data, as Drydock', async () => {
    const { app, db } = await taskApp();
    const id = await seedTask(db);
    expect((await get(app, `/api/v1.0/tasks/${id}/builddata`)).status).toBe(404);
    expect((await get(app, '/api/v1.0/tasks/11111111-1111-1111-1111-111111111112/builddata')).status).toBe(404);
    expect((await get(app, '/api/v1.0/tasks/nope/builddata')).status).toBe(404);
  });

  it('applies read_build_data, not read_task', async () => {
    const { app, db } = await taskApp({ policy: { 'physical_provisioner:read_task': 'role:member' } });
    const id = await seedTask(db);
    await seedBuildData(db, { nodeName: 'n1', taskId: id, generator: 'lshw', collectedDate: NOW });
    expect((await app.request(`/api/v1.0/tasks/${id}/builddata`)).status).toBe(401);
    expect((await app.request(`/api/v1.0/tasks/${id}/builddata`, auth(READER))).status).toBe(403);
    const open = await taskApp({ policy: { 'physical_provisioner:read_build_data': 'role:member' } });
    await seedTask(open.db, { taskId: id });
    await seedBuildData(open.db, { nodeName: 'n1', taskId: id, generator: 'lshw', collectedDate: NOW });
    expect((await open.app.request(`/api/v1.0/tasks/${id}/builddata`, auth(READER))).status).toBe(200);
  });
});

describe('task result links', () => {
  const detailLogs = (id: string) => [{ rel: 'detail_logs', href: `/api/v1.0/tasks/${id}/builddata` }];

  it("answers detail_logs as an absolute URL under PUBLIC_URL, keeping its path prefix, in every view", async () => {
    const { app, db } = await taskApp({ env: { PUBLIC_URL: 'https://edge.example/drydock/' } });
    const top = await seedTask(db, { action: 'prepare_nodes' });
    const sub = await seedTask(db, { action: 'interrogate_node', parentTaskId: top, resultLinks: detailLogs('x'), resultStatus: 'failure' });
    await seedMessage(db, sub, 'failed', true);
    const href = 'https://edge.example/drydock/api/v1.0/tasks/x/builddata';
    const links = [{ rel: 'detail_logs', href }];
    expect((await jsonOf(await get(app, `/api/v1.0/tasks/${sub}`))).result.links).toEqual(links);
    expect((await jsonOf(await get(app, `/api/v1.0/tasks/${top}?layers=-1`)))[sub].result.links).toEqual(links);
    expect((await jsonOf(await get(app, `/api/v1.0/tasks/${top}?subtaskerrors=true`))).subtask_errors[sub].links).toEqual(links);
    const listed = (await jsonOf(await get(app, '/api/v1.0/tasks'))) as Array<{ task_id: string; result: { links: unknown } }>;
    expect(listed.find((t) => t.task_id === sub)?.result.links).toEqual(links);
  });

  it("answers them under the request's origin without PUBLIC_URL", async () => {
    const { app, db } = await taskApp();
    const id = await seedTask(db, { action: 'interrogate_node', resultLinks: detailLogs('y') });
    const res = await app.request(`http://drydock-api.ucp:9000/api/v1.0/tasks/${id}`, auth());
    expect((await jsonOf(res)).result.links).toEqual([{ rel: 'detail_logs', href: 'http://drydock-api.ucp:9000/api/v1.0/tasks/y/builddata' }]);
  });
});
