import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orchestratorFor } from '../../src/compose.ts';
import { taskEvents } from '../../src/db/schema/events.ts';
import { tasks } from '../../src/db/schema/tasks.ts';
import { LIVE_STATUSES } from '../../src/orchestrator/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { actionOf, API, bootActionLab, signal } from './bootaction-fixtures.ts';
import { postYaml } from './design-fixtures.ts';
import { auth, DAY, NOW, postTask, READER, seedTask, taskApp } from './tasks-fixtures.ts';

const SITE = fileURLToPath(new URL('../fixtures/designs/site.yaml', import.meta.url));

type Built = Awaited<ReturnType<typeof taskApp>>;
type Event = { seq: number; type: string; data: Record<string, any> };

/** The fake lab without waits: a task reaches `complete` once settled. */
const eventApp = (options: { policy?: Record<string, string>; env?: Record<string, string>; clock?: () => Date } = {}) =>
  taskApp({ ...options, env: { FAKE_LAB_STEP_MS: '0', TASK_EVENTS_POLL_MS: '50', ...options.env } });

async function start(built: Built, action = 'prepare_nodes'): Promise<string> {
  const stored = await built.app.request('/api/v1.0/designs', postYaml(await readFile(SITE, 'utf8')));
  const ref = (await jsonOf(stored)).href;
  const res = await built.app.request('/api/v1.0/tasks', postTask({ action, design_ref: ref }));
  expect(res.status).toBe(201);
  return (await jsonOf(res)).task_id as string;
}

/** Advances every live task until none is left (or `rounds` passes). */
async function settle(built: Built, rounds = 40) {
  const orchestrator = orchestratorFor(built.services, 'test');
  for (let i = 0; i < rounds; i++) {
    const live = await built.db.select({ id: tasks.taskId }).from(tasks).where(inArray(tasks.status, [...LIVE_STATUSES]));
    if (live.length === 0) return;
    for (const { id } of live) await orchestrator.advance(id);
  }
}

/** The events of an SSE body, parsed as a client would (`id`, `event`, one `data` line each). */
function parseSse(text: string): { events: Event[]; comments: string[]; retry: number | null } {
  const events: Event[] = [];
  const comments: string[] = [];
  let retry: number | null = null;
  for (const block of text.split('\n\n').filter(Boolean)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else fields.set(line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim());
    }
    if (fields.has('retry')) retry = Number(fields.get('retry'));
    if (fields.has('data')) events.push({ seq: Number(fields.get('id')), type: fields.get('event')!, data: JSON.parse(fields.get('data')!) });
  }
  return { events, comments, retry };
}

const sse = async (built: Built, path: string, headers: Record<string, string> = {}) => {
  const res = await built.app.request(path, auth(undefined, { Accept: 'text/event-stream', ...headers }));
  expect(res.status).toBe(200);
  expect(res.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
  return parseSse(await res.text());
};

describe('GET /api/v1.0/tasks/{id}/events', () => {
  it('streams a fake-lab task: created, its phases, its subtasks, messages, complete, then end', async () => {
    const built = await eventApp();
    const id = await start(built);
    await settle(built);
    const { events } = await sse(built, `/api/v1.0/tasks/${id}/events`);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs.slice(0, -1)).size).toBe(seqs.length - 1);

    const own = events.filter((e) => e.type === 'task' && e.data.task_id === id).map((e) => e.data);
    expect(own[0]).toMatchObject({ task_id: id, parent_task_id: null, action: 'prepare_nodes', node: null, status: 'queued', phase: null, result: null });
    expect(own.some((d) => d.status === 'running' && d.phase !== null)).toBe(true);
    expect(own.at(-1)).toMatchObject({ status: 'complete', result: { status: 'success' } });
    expect(own.at(-1)!.result.successes.length).toBeGreaterThan(0);

    const subtasks = events.filter((e) => e.type === 'task' && e.data.parent_task_id === id);
    expect(subtasks.length).toBeGreaterThan(0);
    const messages = events.filter((e) => e.type === 'message');
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.some((m) => m.data.node !== null)).toBe(true);
    // Every message GET /tasks/{id} lists for the tree has its event.
    const view = await jsonOf(await built.app.request(`/api/v1.0/tasks/${id}?layers=-1`, auth()));
    const listed = Object.values(view).filter((t: any) => t?.kind === 'Task').flatMap((t: any) => t.result.details.messageList);
    expect(messages.map((m) => m.data.message).sort()).toEqual(listed.map((m: any) => m.message).sort());

    const end = events.at(-1)!;
    expect(end).toMatchObject({ type: 'end', data: { status: 'complete', result: { status: 'success' } } });
    expect(end.seq).toBe(events.at(-2)!.seq);
    expect(end.data.seq).toBe(end.seq);
  });

  it('has a message event, with its node, for each boot action report, and none for a refused one', async () => {
    const { app, keys, taskId } = await bootActionLab({ env: { BOOTACTION_MAX_MESSAGES: '2' } });
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    const report = (details: unknown[]) => app.request(`${API}/bootactions/${actionId}`, signal(actionKey, { details }));
    expect((await report([{ message: 'started', error: false }, { message: 'disk slow', error: true }])).status).toBe(200);
    expect((await report([{ message: 'over the budget', error: false }])).status).toBe(409);
    const res = await app.request(`${API}/tasks/${taskId}/events?format=json`);
    const { events } = await jsonOf(res);
    expect(events.map((e: Event) => [e.type, e.data.node, e.data.message, e.data.error])).toEqual([
      ['message', 'node00001', 'started', false],
      ['message', 'node00001', 'disk slow', true],
    ]);
  });

  it('resumes after Last-Event-ID (or ?after) with only the later events', async () => {
    const built = await eventApp();
    const id = await start(built);
    await settle(built);
    const all = (await sse(built, `/api/v1.0/tasks/${id}/events`)).events;
    const cut = all[Math.floor(all.length / 2)]!.seq;
    const later = all.filter((e) => e.seq > cut);
    expect((await sse(built, `/api/v1.0/tasks/${id}/events`, { 'Last-Event-ID': String(cut) })).events).toEqual(later);
    expect((await sse(built, `/api/v1.0/tasks/${id}/events?after=${cut}`)).events).toEqual(later);
    // The header wins over the URL an EventSource keeps reconnecting to.
    expect((await sse(built, `/api/v1.0/tasks/${id}/events?after=1`, { 'Last-Event-ID': String(cut) })).events).toEqual(later);
  });

  it('answers the long poll at once when events wait, after `wait` seconds when none come, and `done` with end', async () => {
    const built = await eventApp();
    const id = await start(built);
    const poll = async (query: string, headers: Record<string, string> = { Accept: 'application/json' }) => {
      const res = await built.app.request(`/api/v1.0/tasks/${id}/events${query}`, auth(undefined, headers));
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      return jsonOf(res);
    };
    const first = await poll('?wait=5');
    expect(first.done).toBe(false);
    expect(first.events).toEqual([{ seq: first.last_seq, type: 'task', data: expect.objectContaining({ task_id: id, status: 'queued' }) }]);

    const startedAt = Date.now();
    const idle = await poll(`?after=${first.last_seq}&wait=1&format=json`, {});
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(900);
    expect(idle).toEqual({ events: [], last_seq: first.last_seq, done: false });

    // A poll waiting when the task moves answers with the change, well before its wait is over.
    const waiting = poll(`?after=${first.last_seq}&wait=20&format=json`, {});
    await new Promise((r) => setTimeout(r, 200));
    await orchestratorFor(built.services, 'test').advance(id);
    const moved = await waiting;
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(moved.events.length).toBeGreaterThan(0);
    expect(moved.events.every((e: Event) => e.seq > first.last_seq)).toBe(true);

    await settle(built);
    let after = moved.last_seq;
    const rest: Event[] = [];
    for (let i = 0; i < 20; i++) {
      const page = await poll(`?after=${after}`);
      rest.push(...page.events);
      after = page.last_seq;
      if (page.done) break;
    }
    expect(rest.at(-1)).toMatchObject({ type: 'end', data: { status: 'complete' } });
    expect(rest.filter((e) => e.type === 'end')).toHaveLength(1);
  });

  it('reads a subtask alone: its own events, then end once it is final', async () => {
    const built = await eventApp();
    const id = await start(built);
    await settle(built);
    const [sub] = await built.db.select().from(tasks).where(eq(tasks.parentTaskId, id)).limit(1);
    const { events } = await sse(built, `/api/v1.0/tasks/${sub!.taskId}/events`);
    expect(events.length).toBeGreaterThan(2);
    expect(events.filter((e) => e.type !== 'end').every((e) => e.data.task_id === sub!.taskId)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'end', data: { status: 'complete' } });
  });

  it('ends a stream after TASK_EVENTS_STREAM_SECONDS with a retry, leaving the client to resume', async () => {
    const built = await eventApp({ env: { TASK_EVENTS_STREAM_SECONDS: '1' } });
    const id = await start(built);
    const { events, retry } = await sse(built, `/api/v1.0/tasks/${id}/events`);
    expect(events.map((e) => e.type)).toEqual(['task']);
    expect(retry).toBe(1000);
  });

  it('records a termination: terminating, then terminated, then end', async () => {
    const built = await eventApp({ env: { FAKE_LAB_STEP_MS: '60000' } });
    const id = await start(built);
    await settle(built, 3);
    expect((await built.app.request(`/api/v1.0/tasks/${id}/terminate`, { method: 'POST', ...auth() })).status).toBe(202);
    await settle(built);
    const own = (await sse(built, `/api/v1.0/tasks/${id}/events`)).events.filter((e) => (e.type === 'task' && e.data.task_id === id) || e.type === 'end');
    expect(own.slice(-3).map((e) => [e.type, e.data.status])).toEqual([
      ['task', 'terminating'],
      ['task', 'terminated'],
      ['end', 'terminated'],
    ]);
  });

  it('is purged with its tasks', async () => {
    let now = NOW;
    const built = await eventApp({ clock: () => now });
    const id = await start(built);
    await settle(built);
    expect((await built.db.select().from(taskEvents)).length).toBeGreaterThan(0);
    now = new Date(NOW.getTime() + 3 * DAY);
    const res = await built.app.request('/api/v1.0/tasks?days=1', { method: 'DELETE', ...auth() });
    expect(await jsonOf(res)).toMatchObject({ deleted_tasks: expect.any(Number) });
    expect(await built.db.select().from(taskEvents)).toEqual([]);
    expect((await built.app.request(`/api/v1.0/tasks/${id}/events`, auth())).status).toBe(404);
  });

  it('answers 404 for an unknown task, 401 without a token, 403 without read_task', async () => {
    const built = await eventApp({ policy: { 'physical_provisioner:read_task': 'role:admin' } });
    const id = await seedTask(built.db);
    const unknown = await built.app.request('/api/v1.0/tasks/11111111-1111-4111-8111-111111111111/events', auth());
    expect(unknown.status).toBe(404);
    expect(await jsonOf(unknown)).toMatchObject({ kind: 'Status', code: 404 });
    expect((await built.app.request(`/api/v1.0/tasks/${id}/events`)).status).toBe(401);
    const denied = await built.app.request(`/api/v1.0/tasks/${id}/events`, auth(READER));
    expect(denied.status).toBe(403);
    expect(await jsonOf(denied)).toMatchObject({ kind: 'Status', code: 403 });
  });

  it.each([
    ['?after=-1', {}, 'after must be a non-negative integer'],
    ['?after=abc', {}, 'after must be a non-negative integer'],
    ['?format=json&wait=26', {}, 'wait must be an integer from 0 to 25'],
    ['?format=xml', {}, 'format must be json or sse'],
    ['', { 'Last-Event-ID': 'x1' }, 'Last-Event-ID must be a non-negative integer'],
  ])('answers 400 in the envelope for %s %j', async (query, headers, message) => {
    const built = await eventApp();
    const id = await seedTask(built.db);
    const res = await built.app.request(`/api/v1.0/tasks/${id}/events${query}`, auth(undefined, headers as Record<string, string>));
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 400, message: expect.stringContaining(message) });
  });
});
