import { describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers/app.ts';
import { auth, NOW, READER, seedMessage, seedTask, taskApp, taskId } from './tasks-fixtures.ts';

type App = Awaited<ReturnType<typeof taskApp>>['app'];

/** Follows X-Next-Cursor to the end, checking the Link header on the way. */
async function allPages(app: App, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let url: string | null = `/api/v1.0/tasks?limit=${limit}`;
  while (url) {
    const res = await app.request(url, auth());
    expect(res.status).toBe(200);
    pages.push((await jsonOf(res)).map((t: { task_id: string }) => t.task_id));
    const next = res.headers.get('X-Next-Cursor');
    if (next) expect(res.headers.get('Link')).toBe(`</api/v1.0/tasks?limit=${limit}&cursor=${next}>; rel="next"`);
    else expect(res.headers.get('Link')).toBeNull();
    url = next ? `/api/v1.0/tasks?limit=${limit}&cursor=${next}` : null;
  }
  return pages;
}

describe('GET /api/v1.0/tasks', () => {
  it("lists tasks newest first as a JSON list in Drydock's form", async () => {
    const { app, db } = await taskApp();
    const old = await seedTask(db, { created: new Date(NOW.getTime() - 1000) });
    const young = await seedTask(db, { created: NOW });
    const child = await seedTask(db, { created: NOW, parentTaskId: old, action: 'deploy_node' });
    await seedMessage(db, old, 'Started subtask', false);
    const res = await app.request('/api/v1.0/tasks', auth());
    const list = await jsonOf(res);
    expect(res.headers.get('X-Next-Cursor')).toBeNull();
    // child and young share a creation time: the larger id comes first.
    expect(list.map((t: { task_id: string }) => t.task_id)).toEqual([child, young, old]);
    const oldTask = list.find((t: { task_id: string }) => t.task_id === old);
    expect(oldTask).toMatchObject({ kind: 'Task', subtask_id_list: [child], result: { details: { errorCount: 0 } } });
    expect(oldTask.result.details.messageList[0]).toEqual({
      message: 'Started subtask',
      error: false,
      context_type: 'node',
      context: 'n1',
      ts: NOW.toISOString(),
      extra: { step: 1 },
    });
  });

  it('pages through every task exactly once, ties on created broken by task id', async () => {
    const { app, db } = await taskApp();
    const ids: string[] = [];
    // 25 tasks over 5 distinct instants: many share a creation time.
    for (let i = 0; i < 25; i++) ids.push(await seedTask(db, { created: new Date(NOW.getTime() - (i % 5) * 1000) }));
    const pages = await allPages(app, 10);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const expected = [...ids].sort((a, b) => {
      const ca = ids.indexOf(a) % 5;
      const cb = ids.indexOf(b) % 5;
      return ca !== cb ? ca - cb : b.localeCompare(a);
    });
    expect(pages.flat()).toEqual(expected);
  });

  it('keeps its place when tasks are created or removed between pages', async () => {
    const { app, db } = await taskApp();
    for (let i = 0; i < 6; i++) await seedTask(db, { created: new Date(NOW.getTime() - i * 1000) });
    const first = await app.request('/api/v1.0/tasks?limit=3', auth());
    const firstIds = (await jsonOf(first)).map((t: { task_id: string }) => t.task_id);
    await seedTask(db, { created: new Date(NOW.getTime() + 5000) });
    const second = await app.request(`/api/v1.0/tasks?limit=3&cursor=${first.headers.get('X-Next-Cursor')}`, auth());
    const secondIds = (await jsonOf(second)).map((t: { task_id: string }) => t.task_id);
    expect(secondIds).toHaveLength(3);
    expect(secondIds.some((id: string) => firstIds.includes(id))).toBe(false);
    expect(second.headers.get('X-Next-Cursor')).toBeNull();
  });

  it('answers at most 100 tasks by default and up to 1000 when asked', async () => {
    const { app, db } = await taskApp();
    for (let i = 0; i < 120; i++) await seedTask(db, { taskId: taskId(10_000 + i) });
    const page = await app.request('/api/v1.0/tasks', auth());
    expect(await jsonOf(page)).toHaveLength(100);
    expect(page.headers.get('X-Next-Cursor')).toBeTruthy();
    expect(page.headers.get('Link')).toContain('limit=100&cursor=');
    expect(await jsonOf(await app.request('/api/v1.0/tasks?limit=1000', auth()))).toHaveLength(120);
  });

  it('leaves out subtasks with top_level=true, on every page', async () => {
    const { app, db } = await taskApp();
    const tops: string[] = [];
    for (let i = 0; i < 5; i++) {
      const top = await seedTask(db, { created: new Date(NOW.getTime() - i * 1000) });
      tops.push(top);
      for (let j = 0; j < 3; j++) await seedTask(db, { created: NOW, parentTaskId: top, action: 'deploy_node' });
    }
    const first = await app.request('/api/v1.0/tasks?top_level=true&limit=3', auth());
    expect((await jsonOf(first)).map((t: { task_id: string }) => t.task_id)).toEqual(tops.slice(0, 3));
    const next = first.headers.get('X-Next-Cursor');
    expect(first.headers.get('Link')).toBe(`</api/v1.0/tasks?limit=3&top_level=true&cursor=${next}>; rel="next"`);
    const second = await app.request(`/api/v1.0/tasks?top_level=true&limit=3&cursor=${next}`, auth());
    expect((await jsonOf(second)).map((t: { task_id: string }) => t.task_id)).toEqual(tops.slice(3));
    expect(second.headers.get('X-Next-Cursor')).toBeNull();
    // Without it (or with false) subtasks are listed too, as Drydock.
    expect(await jsonOf(await app.request('/api/v1.0/tasks?top_level=false', auth()))).toHaveLength(20);
    expect((await app.request('/api/v1.0/tasks?top_level=maybe', auth())).status).toBe(400);
  });

  it('answers 400 for a bad limit or cursor', async () => {
    const { app } = await taskApp();
    for (const q of ['limit=0', 'limit=1001', 'limit=ten', 'limit=-1', 'limit=2.5', 'cursor=nonsense!', 'cursor=dDE6MTIzOm5vdC1hLXV1aWQ']) {
      const res = await app.request(`/api/v1.0/tasks?${q}`, auth());
      expect(res.status, q).toBe(400);
      expect((await jsonOf(res)).kind).toBe('Status');
    }
  });

  it('applies read_task', async () => {
    const { app } = await taskApp();
    expect((await app.request('/api/v1.0/tasks')).status).toBe(401);
    expect((await app.request('/api/v1.0/tasks', auth(READER))).status).toBe(403);
    const open = await taskApp({ policy: { 'physical_provisioner:read_task': 'role:member' } });
    expect((await open.app.request('/api/v1.0/tasks', auth(READER))).status).toBe(200);
  });
});
