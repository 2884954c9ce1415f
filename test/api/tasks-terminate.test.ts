import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orchestratorFor } from '../../src/compose.ts';
import { nodeClaims } from '../../src/db/schema/node-claims.ts';
import { resultMessages, tasks } from '../../src/db/schema/tasks.ts';
import { LIVE_STATUSES } from '../../src/orchestrator/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { postYaml } from './design-fixtures.ts';
import { auth, postTask, READER, seedTask, taskApp } from './tasks-fixtures.ts';

const SITE = fileURLToPath(new URL('../fixtures/designs/site.yaml', import.meta.url));

type Built = Awaited<ReturnType<typeof taskApp>>;

async function start(built: Built, action = 'deploy_nodes', token?: string) {
  const stored = await built.app.request('/api/v1.0/designs', postYaml(await readFile(SITE, 'utf8')));
  const ref = (await jsonOf(stored)).href;
  const res = await built.app.request('/api/v1.0/tasks', postTask({ action, design_ref: ref }, token));
  expect(res.status).toBe(201);
  return { ref, id: (await jsonOf(res)).task_id as string };
}

const terminate = (built: Built, id: string, token?: string) =>
  built.app.request(`/api/v1.0/tasks/${id}/terminate`, { method: 'POST', ...auth(token) });

/** Advances every live task whose lease is free until none is left that can move (the fake lab waits on the fixed clock). */
async function settle(built: Built, rounds = 20) {
  const orchestrator = orchestratorFor(built.services, 'test');
  for (let i = 0; i < rounds; i++) {
    const live = await built.db.select({ id: tasks.taskId }).from(tasks).where(inArray(tasks.status, [...LIVE_STATUSES]));
    for (const { id } of live) await orchestrator.advance(id);
  }
}

describe('POST /api/v1.0/tasks/{id}/terminate', () => {
  it('ends a running task and its subtasks: terminated, terminated_by, a message, leases released, no later step', async () => {
    const built = await taskApp();
    // The fake lab's power cycle waits FAKE_LAB_STEP_MS, which never passes on the fixed clock.
    const { id } = await start(built, 'prepare_nodes');
    await settle(built, 3);
    const before = await built.db.select().from(tasks).where(eq(tasks.parentTaskId, id));
    expect(before.length).toBeGreaterThan(0);

    const res = await terminate(built, id);
    expect(res.status).toBe(202);
    expect(await jsonOf(res)).toMatchObject({ task_id: id, status: 'terminating', terminate: true, terminated_by: 'ops' });

    await settle(built);
    const all = await built.db.select().from(tasks);
    const top = all.find((t) => t.taskId === id)!;
    expect([top.status, top.resultStatus, top.terminatedBy, top.leaseOwner]).toEqual(['terminated', 'failure', 'ops', null]);
    expect(top.terminated).not.toBeNull();
    for (const sub of all.filter((t) => t.parentTaskId === id)) {
      expect([sub.status, sub.terminate, sub.terminatedBy, sub.leaseOwner], sub.action).toEqual(['terminated', true, 'ops', null]);
    }
    // No phase started after the termination.
    expect(all.filter((t) => t.parentTaskId === id).map((t) => t.taskId).sort()).toEqual(before.map((t) => t.taskId).sort());
    const messages = await built.db.select().from(resultMessages).where(eq(resultMessages.taskId, id)).orderBy(resultMessages.sequence);
    expect(messages.at(-1)?.message).toBe('Action terminated by ops.');
    expect(await built.db.select().from(nodeClaims)).toEqual([]);
    expect((await orchestratorFor(built.services, 'x').advance(id)).outcome).toBe('skipped');
    const view = await jsonOf(await built.app.request(`/api/v1.0/tasks/${id}`, auth()));
    expect(view).toMatchObject({ status: 'terminated', terminated_by: 'ops', result: { status: 'failure' } });
  });

  it('stops a task at its next step when it is marked while a step runs', async () => {
    const built = await taskApp();
    const { id } = await start(built, 'prepare_nodes');
    const scheduled: Array<[string, number]> = [];
    built.services.scheduler = { schedule: async (taskId, delay) => void scheduled.push([taskId, delay]) };
    // A task whose ref could not be resolved at creation pins its design at
    // its first step: hold that step in the design fetch while the task is terminated.
    await built.db.update(tasks).set({ designContentHash: null }).where(eq(tasks.taskId, id));
    const source = built.services.siteDesign.source;
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let entered = () => {};
    const inStep = new Promise<void>((r) => (entered = r));
    built.services.siteDesign.source = {
      resolve: async (ref) => {
        entered();
        await held;
        return source.resolve(ref);
      },
    };
    const orchestrator = orchestratorFor(built.services, 'test');
    const step = orchestrator.advance(id);
    await inStep;
    expect((await terminate(built, id)).status).toBe(202);
    release();
    expect(await step).toMatchObject({ outcome: 'stepped', status: 'running' });
    // The step's save kept the mark: still terminating, and due now rather than after the poll interval.
    const [row] = await built.db.select().from(tasks).where(eq(tasks.taskId, id));
    expect(row?.status).toBe('terminating');
    expect(scheduled).toContainEqual([id, 0]);
    await settle(built);
    const [after] = await built.db.select().from(tasks).where(eq(tasks.taskId, id));
    expect(after?.status).toBe('terminated');
  });

  it('answers 404 for an unknown task and 409 for a finished task or a subtask', async () => {
    const built = await taskApp();
    const done = await seedTask(built.db, { status: 'complete' });
    const child = await seedTask(built.db, { status: 'running', parentTaskId: done, action: 'deploy_node' });
    const unknown = await terminate(built, '00000000-0000-4000-8000-00000000ffff');
    expect(unknown.status).toBe(404);
    expect(await jsonOf(unknown)).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    const final = await terminate(built, done);
    expect(final.status).toBe(409);
    expect((await jsonOf(final)).message).toBe(`Task ${done} has already ended (status complete)`);
    const sub = await terminate(built, child);
    expect(sub.status).toBe(409);
    expect((await jsonOf(sub)).message).toContain(`subtask of task ${done}`);
  });

  it("needs the rule that creating the task's action needs", async () => {
    const built = await taskApp({ policy: { 'physical_provisioner:deploy_nodes': 'role:member' } });
    const deploy = await seedTask(built.db, { status: 'running', action: 'deploy_nodes' });
    const prepare = await seedTask(built.db, { status: 'running', action: 'prepare_nodes' });
    expect((await built.app.request(`/api/v1.0/tasks/${deploy}/terminate`, { method: 'POST' })).status).toBe(401);
    expect((await terminate(built, prepare, READER)).status).toBe(403);
    const ok = await terminate(built, deploy, READER);
    expect(ok.status).toBe(202);
    expect((await jsonOf(ok)).terminated_by).toBe('viewer');
  });
});
