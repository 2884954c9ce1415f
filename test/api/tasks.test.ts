import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tasks } from '../../src/db/schema/tasks.ts';
import { TOP_LEVEL_ACTIONS } from '../../src/orchestrator/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { auth, NOW, postTask, READER, seedTask, taskApp } from './tasks-fixtures.ts';

const FILTER = { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['n1'] }] };

describe('POST /api/v1.0/tasks', () => {
  it("answers 201, a Location and the task in Drydock's Task form", async () => {
    const { app } = await taskApp();
    const res = await app.request('/api/v1.0/tasks', postTask({ action: 'prepare_nodes', design_ref: 'design://d1', node_filter: FILTER }));
    expect(res.status).toBe(201);
    const body = await jsonOf(res);
    expect(res.headers.get('Location')).toBe(`/api/v1.0/tasks/${body.task_id}`);
    // Drydock's save() stamps `updated` on creation; the orchestrator's record may leave it unset.
    const { updated, ...rest } = body;
    expect([null, NOW.toISOString()]).toContain(updated);
    expect(rest).toEqual({
      kind: 'Task',
      apiVersion: 'v1',
      task_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      action: 'prepare_nodes',
      parent_task_id: null,
      design_ref: 'design://d1',
      // Pinned at the task's first step (no fetch in the request).
      design_content_hash: null,
      status: 'queued',
      result: {
        kind: 'Status',
        apiVersion: 'v1.0',
        metadata: {},
        message: null,
        reason: null,
        status: 'incomplete',
        successes: [],
        failures: [],
        links: [],
        details: { errorCount: 0, messageList: [] },
      },
      node_filter: FILTER,
      subtask_id_list: [],
      created: NOW.toISOString(),
      created_by: 'ops',
      terminated: null,
      terminated_by: null,
      terminate: false,
      retry: 0,
    });
  });

  it('accepts every Drydock action', async () => {
    const { app } = await taskApp();
    for (const action of TOP_LEVEL_ACTIONS) {
      const res = await app.request('/api/v1.0/tasks', postTask({ action, design_ref: 'design://d1' }));
      expect(res.status, action).toBe(201);
      expect((await jsonOf(res)).action).toBe(action);
    }
  });

  it('asks the scheduler to advance the new task now', async () => {
    const { app, services } = await taskApp();
    const calls: Array<[string, number]> = [];
    services.scheduler = { schedule: async (id, delay) => void calls.push([id, delay]) };
    const body = await jsonOf(await app.request('/api/v1.0/tasks', postTask({ action: 'verify_site', design_ref: 'design://d1' })));
    expect(calls).toEqual([[body.task_id, 0]]);
  });

  it('still answers 201 when the scheduler fails, leaving the task due for the sweep', async () => {
    const { app, services, db, logs } = await taskApp();
    services.scheduler = { schedule: async () => Promise.reject(new Error('queue down')) };
    const res = await app.request('/api/v1.0/tasks', postTask({ action: 'verify_site', design_ref: 'design://d1' }));
    expect(res.status).toBe(201);
    const [row] = await db.select().from(tasks).where(eq(tasks.taskId, (await jsonOf(res)).task_id));
    expect(row?.nextRunAt?.getTime()).toBe(NOW.getTime());
    expect(logs.some((l) => l.level === 'warn' && l.record['error'] === 'queue down')).toBe(true);
  });

  it('records the request context: request id, end user and the caller', async () => {
    const { app, db } = await taskApp();
    const res = await app.request(
      '/api/v1.0/tasks',
      postTask({ action: 'deploy_nodes', design_ref: 'design://d1' }, undefined, { 'X-Context-Marker': 'req-42', 'X-End-User': 'alice' }),
    );
    const [row] = await db.select().from(tasks).where(eq(tasks.taskId, (await jsonOf(res)).task_id));
    expect(row?.createdBy).toBe('ops');
    expect(row?.requestContext).toMatchObject({ request_id: 'req-42', end_user: 'alice', user: 'ops', roles: ['admin'], authenticated: true });
  });

  it('answers 400 for an unknown or missing action', async () => {
    const { app } = await taskApp();
    const res = await app.request('/api/v1.0/tasks', postTask({ action: 'format_disks', design_ref: 'design://d1' }));
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', message: 'Unsupported action format_disks', code: 400 });
    expect((await app.request('/api/v1.0/tasks', postTask({ design_ref: 'design://d1' }))).status).toBe(400);
  });

  it('answers 400, not 500, for an action nested 5,000 deep', async () => {
    const { app, logs } = await taskApp();
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await app.request('/api/v1.0/tasks', { ...postTask({}), body: `{"action": ${deep}, "design_ref": "design://d1"}` });
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 400, message: expect.stringMatching(/nested deeper than 64/) });
    expect(logs.some((l) => l.level === 'error')).toBe(false);
  });

  it('names an action of the wrong type by its type, never by echoing it', async () => {
    const { app } = await taskApp();
    const res = await app.request('/api/v1.0/tasks', postTask({ action: { nested: ['x'.repeat(1000)] }, design_ref: 'design://d1' }));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toBe('Unsupported action (an object; action must be a string)');
  });

  it('answers 400 without a design_ref, validate_design included', async () => {
    const { app } = await taskApp();
    for (const body of [{ action: 'validate_design' }, { action: 'deploy_nodes', design_ref: '  ' }, { action: 'deploy_nodes', design_ref: 7 }]) {
      const res = await app.request('/api/v1.0/tasks', postTask(body));
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).message).toBe('Task creation requires fields design_ref, action');
    }
  });

  it('answers 400 for a design_ref over 2048 characters', async () => {
    const { app } = await taskApp();
    const res = await app.request('/api/v1.0/tasks', postTask({ action: 'validate_design', design_ref: `design://${'a'.repeat(2040)}` }));
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toBe('design_ref must be at most 2048 characters');
  });

  it('answers 400 for a malformed node_filter, naming the problem', async () => {
    const { app } = await taskApp();
    const res = await app.request(
      '/api/v1.0/tasks',
      postTask({ action: 'deploy_nodes', design_ref: 'design://d1', node_filter: { filter_set_type: 'some', filter_set: [] } }),
    );
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/^Invalid node_filter: .*filter_set_type/);
  });

  it('answers 400 for no body or a body that is not an object, and 415 for another media type', async () => {
    const { app } = await taskApp();
    const empty = await app.request('/api/v1.0/tasks', { method: 'POST', headers: { 'X-Auth-Token': auth().headers['X-Auth-Token'] } });
    expect(empty.status).toBe(400);
    expect((await app.request('/api/v1.0/tasks', postTask(['deploy_nodes']))).status).toBe(400);
    const text = await app.request('/api/v1.0/tasks', { ...postTask({}), headers: { ...auth().headers, 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('answers 401 without a credential and 403 when create_task refuses the caller', async () => {
    const { app } = await taskApp();
    const body = { action: 'deploy_nodes', design_ref: 'design://d1' };
    const anonymous = await app.request('/api/v1.0/tasks', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    expect(anonymous.status).toBe(401);
    expect((await app.request('/api/v1.0/tasks', postTask(body, READER))).status).toBe(403);
  });

  it("also requires the action's own rule, as Drydock", async () => {
    const { app, db } = await taskApp({
      policy: { 'physical_provisioner:create_task': 'role:member', 'physical_provisioner:prepare_nodes': 'role:member' },
    });
    expect((await app.request('/api/v1.0/tasks', postTask({ action: 'prepare_nodes', design_ref: 'design://d1' }, READER))).status).toBe(201);
    const denied = await app.request('/api/v1.0/tasks', postTask({ action: 'deploy_nodes', design_ref: 'design://d1' }, READER));
    expect(denied.status).toBe(403);
    expect(JSON.stringify(await jsonOf(denied))).toContain('physical_provisioner:deploy_nodes');
    expect(await db.select().from(tasks)).toHaveLength(1);
  });

  it('refuses an action the caller may run when create_task refuses it', async () => {
    const { app } = await taskApp({ policy: { 'physical_provisioner:deploy_nodes': 'role:member' } });
    expect((await app.request('/api/v1.0/tasks', postTask({ action: 'deploy_nodes', design_ref: 'design://d1' }, READER))).status).toBe(403);
  });
});

describe('GET /api/v1.0/tasks/{id}', () => {
  it('returns a created task', async () => {
    const { app } = await taskApp();
    const created = await jsonOf(await app.request('/api/v1.0/tasks', postTask({ action: 'verify_nodes', design_ref: 'design://d1' })));
    const res = await app.request(`/api/v1.0/tasks/${created.task_id}`, auth());
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual(created);
  });

  it('accepts the id in the other spellings uuid.UUID() takes', async () => {
    const { app, db } = await taskApp();
    const id = await seedTask(db, { taskId: '11111111-1111-1111-1111-11111111111a' });
    for (const spelling of [id.toUpperCase(), id.replaceAll('-', ''), `{${id}}`, `urn:uuid:${id}`]) {
      const res = await app.request(`/api/v1.0/tasks/${encodeURIComponent(spelling)}`, auth());
      expect(res.status, spelling).toBe(200);
      expect((await jsonOf(res)).task_id).toBe(id);
    }
  });

  it('answers 404 for an unknown id and for an id that is not a UUID', async () => {
    const { app } = await taskApp();
    const unknown = await app.request('/api/v1.0/tasks/11111111-1111-1111-1111-111111111112', auth());
    expect(unknown.status).toBe(404);
    expect(await jsonOf(unknown)).toMatchObject({ message: 'Task 11111111-1111-1111-1111-111111111112 does not exist', code: 404 });
    expect((await app.request('/api/v1.0/tasks/not-a-task', auth())).status).toBe(404);
  });

  it('applies read_task', async () => {
    const { app, db } = await taskApp();
    const id = await seedTask(db);
    expect((await app.request(`/api/v1.0/tasks/${id}`)).status).toBe(401);
    expect((await app.request(`/api/v1.0/tasks/${id}`, auth(READER))).status).toBe(403);
  });
});
