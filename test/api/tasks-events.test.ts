import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orchestratorFor } from '../../src/compose.ts';
import { taskEvents } from '../../src/db/schema/events.ts';
import { tasks } from '../../src/db/schema/tasks.ts';
import { LIVE_STATUSES } from '../../src/orchestrator/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { postYaml } from './design-fixtures.ts';
import { auth, postTask, READER, taskApp } from './tasks-fixtures.ts';

const SITE = fileURLToPath(new URL('../fixtures/designs/site.yaml', import.meta.url));

type Built = Awaited<ReturnType<typeof taskApp>>;
type Event = { seq: number; type: string; data: Record<string, any> };

/** The fake lab without waits: a task reaches `complete` once settled. */
const eventApp = (policy?: Record<string, string>) => taskApp({ env: { FAKE_LAB_STEP_MS: '0', TASK_EVENTS_POLL_MS: '50' }, policy });

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
});
