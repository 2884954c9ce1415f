import { describe, expect, it } from 'vitest';
import { bootActionContexts, bootActionStatus } from '../../src/db/schema/bootactions.ts';
import { buildData } from '../../src/db/schema/builddata.ts';
import { resultMessages, tasks } from '../../src/db/schema/tasks.ts';
import type { Db } from '../../src/db/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { auth, DAY, NOW, READER, seedBootAction, seedBuildData, seedMessage, seedTask, taskApp } from './tasks-fixtures.ts';

const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY);
const del = (query = '', token?: string) => [`/api/v1.0/tasks${query}`, { method: 'DELETE', ...auth(token) }] as const;

async function counts(db: Db) {
  return {
    tasks: (await db.select().from(tasks)).length,
    messages: (await db.select().from(resultMessages)).length,
    buildData: (await db.select().from(buildData)).length,
    bootStatus: (await db.select().from(bootActionStatus)).length,
    bootContexts: (await db.select().from(bootActionContexts)).length,
  };
}

/** A deploy task with a young subtask and grandchild, messages, build data and boot action records. */
async function seedDeploy(db: Db, created: Date, node: string) {
  const top = await seedTask(db, { created });
  const sub = await seedTask(db, { created: new Date(created.getTime() + 5 * DAY), parentTaskId: top });
  const leaf = await seedTask(db, { created: new Date(created.getTime() + 6 * DAY), parentTaskId: sub });
  for (const id of [top, sub, leaf]) await seedMessage(db, id, `message of ${id}`);
  await seedBuildData(db, { nodeName: node, taskId: sub, generator: 'lshw', collectedDate: created });
  await seedBootAction(db, node, leaf);
  return { top, sub, leaf };
}

describe('DELETE /api/v1.0/tasks', () => {
  it('removes tasks older than N days with their subtasks, messages, build data and boot action records', async () => {
    const { app, db } = await taskApp();
    const old = await seedDeploy(db, daysAgo(40), 'old-node');
    const kept = await seedDeploy(db, daysAgo(20), 'new-node');
    const res = await app.request(...del('?days=30'));
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', status: 'Success', message: 'Tables purged successfully.', deleted_tasks: 3 });
    expect(await counts(db)).toEqual({ tasks: 3, messages: 3, buildData: 1, bootStatus: 1, bootContexts: 1 });
    // The old task's subtasks were younger than the cutoff; they went with it.
    const left = (await db.select({ id: tasks.taskId }).from(tasks)).map((r) => r.id).sort();
    expect(left).toEqual([kept.top, kept.sub, kept.leaf].sort());
    expect(left).not.toContain(old.sub);
    expect((await db.select().from(bootActionContexts))[0]?.nodeName).toBe('new-node');
  });

  it('keeps 90 days by default, also when Drydock\'s client sends days=None', async () => {
    for (const query of ['', '?days=None']) {
      const { app, db } = await taskApp();
      await seedTask(db, { created: daysAgo(91) });
      await seedTask(db, { created: daysAgo(89) });
      expect((await jsonOf(await app.request(...del(query)))).deleted_tasks).toBe(1);
      expect((await counts(db)).tasks).toBe(1);
    }
  });

  it('removes every task created before now with days=0, and reports 0 when none is old enough', async () => {
    const { app, db } = await taskApp();
    await seedTask(db, { created: new Date(NOW.getTime() - 1) });
    expect((await jsonOf(await app.request(...del('?days=0')))).deleted_tasks).toBe(1);
    expect((await jsonOf(await app.request(...del('?days=0')))).deleted_tasks).toBe(0);
  });

  it('removes more tasks than one round holds, counting them all', async () => {
    const { app, db } = await taskApp();
    for (let i = 0; i < 230; i++) {
      const top = await seedTask(db, { created: daysAgo(100 + i) });
      if (i % 10 === 0) await seedTask(db, { created: daysAgo(1), parentTaskId: top });
    }
    await seedTask(db, { created: daysAgo(1) });
    expect((await jsonOf(await app.request(...del('?days=30')))).deleted_tasks).toBe(253);
    expect((await counts(db)).tasks).toBe(1);
  });

  it('never deletes an unfinished task, nor a finished one whose subtask is still live', async () => {
    const { app, db } = await taskApp();
    const running = await seedTask(db, { created: daysAgo(200), status: 'running' });
    const queued = await seedTask(db, { created: daysAgo(150), status: 'queued' });
    // Terminated, but its subtask has not stopped yet: the tree stays whole.
    const ending = await seedTask(db, { created: daysAgo(120), status: 'terminated' });
    const endingSub = await seedTask(db, { created: daysAgo(119), parentTaskId: ending, status: 'terminating' });
    // A finished task whose subtask is live cannot lose the subtask on its own either.
    const liveSub = await seedTask(db, { created: daysAgo(118), parentTaskId: running, status: 'running' });
    const done = await seedTask(db, { created: daysAgo(110) });
    const res = await jsonOf(await app.request(...del('?days=30')));
    expect(res.deleted_tasks).toBe(1);
    const left = (await db.select({ id: tasks.taskId }).from(tasks)).map((r) => r.id).sort();
    expect(left).toEqual([running, queued, ending, endingSub, liveSub].sort());
    expect(left).not.toContain(done);
  });

  it('still removes the old finished tasks behind more unfinished ones than a round holds', async () => {
    const { app, db } = await taskApp();
    for (let i = 0; i < 210; i++) await seedTask(db, { created: daysAgo(300 + i), status: 'running' });
    await seedTask(db, { created: daysAgo(100) });
    expect((await jsonOf(await app.request(...del('?days=30')))).deleted_tasks).toBe(1);
    expect((await counts(db)).tasks).toBe(210);
  });

  it('answers 400 when days is not a non-negative integer', async () => {
    const { app, db } = await taskApp();
    await seedTask(db, { created: daysAgo(400) });
    for (const q of ['?days=-1', '?days=1.5', '?days=ten', '?days=1e3']) {
      expect((await app.request(...del(q))).status, q).toBe(400);
    }
    expect((await counts(db)).tasks).toBe(1);
  });

  it('applies delete_tasks', async () => {
    const { app, db } = await taskApp();
    await seedTask(db, { created: daysAgo(400) });
    expect((await app.request('/api/v1.0/tasks', { method: 'DELETE' })).status).toBe(401);
    expect((await app.request(...del('', READER))).status).toBe(403);
    expect((await counts(db)).tasks).toBe(1);
  });
});
