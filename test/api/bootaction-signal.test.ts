import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bootActionStatus } from '../../src/db/schema/bootactions.ts';
import { resultMessages, tasks } from '../../src/db/schema/tasks.ts';
import type { Db } from '../../src/db/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { actionOf, API, bootActionLab, signal } from './bootaction-fixtures.ts';

const messagesOf = (db: Db, taskId: string) =>
  db.select().from(resultMessages).where(eq(resultMessages.taskId, taskId)).orderBy(asc(resultMessages.sequence));

async function statusOf(db: Db, actionId: string) {
  const [row] = await db.select().from(bootActionStatus).where(eq(bootActionStatus.actionId, actionId));
  return row?.actionStatus;
}

describe('boot action contexts', () => {
  it('starts signaling actions incomplete and others unreported, storing only digests', async () => {
    const { db, keys, taskId } = await bootActionLab();
    const rows = await db.select().from(bootActionStatus).where(eq(bootActionStatus.nodeName, 'node00000'));
    const byName = Object.fromEntries(rows.map((r) => [r.actionName, r]));
    expect(Object.keys(byName).sort()).toEqual(['hello-world', 'masters-only', 'units']);
    expect(byName['hello-world']!.actionStatus).toBe('incomplete');
    expect(byName['masters-only']!.actionStatus).toBe('unreported');
    expect(rows.every((r) => r.taskId === taskId && /^[0-9A-HJKMNP-TV-Z]{26}$/.test(r.actionId))).toBe(true);
    const entry = keys.get('node00000')!;
    expect(entry.actions.map((a) => [a.name, a.signaling])).toEqual([
      ['hello-world', true],
      ['masters-only', false],
      ['units', true],
    ]);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(entry.nodeKey);
    for (const a of entry.actions) expect(stored).not.toContain((await actionOf(keys, 'node00000', a.name)).actionKey);
    // node00001 is no master: masters-only does not target it.
    expect(keys.get('node00001')!.actions.map((a) => a.name)).toEqual(['hello-world', 'units']);
  });
});

describe('POST /bootactions/{action_id}', () => {
  it('turns each detail into a task message with every extra field kept', async () => {
    const { app, db, keys, taskId } = await bootActionLab();
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    const res = await app.request(
      `${API}/bootactions/${actionId}`,
      signal(actionKey, {
        details: [
          { message: 'started', error: false, step: 1, host: { uptime: 12 } },
          { message: 'disk slow', error: true, code: 'E42', retryable: false },
        ],
      }),
    );
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({
      action_id: actionId,
      action_name: 'hello-world',
      node_name: 'node00001',
      task_id: taskId,
      action_status: 'incomplete',
    });
    const messages = await messagesOf(db, taskId);
    expect(messages.map((m) => [m.message, m.error, m.context, m.contextType, m.extra])).toEqual([
      ['started', false, actionId, 'bootaction', { step: 1, host: { uptime: 12 } }],
      ['disk slow', true, actionId, 'bootaction', { code: 'E42', retryable: false }],
    ]);
    const [task] = await db.select().from(tasks).where(eq(tasks.taskId, taskId));
    expect(task!.resultErrorCount).toBe(1);
  });

  it('finalises with a status in any case, then answers 409 and keeps nothing more', async () => {
    const { app, db, keys, taskId } = await bootActionLab();
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    const url = `${API}/bootactions/${actionId}`;
    const done = await app.request(url, signal(actionKey, { status: 'SUCCESS', details: [{ message: 'done', error: false }] }));
    expect(done.status).toBe(200);
    expect((await jsonOf(done)).action_status).toBe('success');
    for (const body of [{ details: [{ message: 'late', error: true }] }, { status: 'Failure' }, {}]) {
      const res = await app.request(url, signal(actionKey, body));
      expect(res.status).toBe(409);
      expect((await jsonOf(res)).message).toContain(actionId);
    }
    expect((await messagesOf(db, taskId)).map((m) => m.message)).toEqual(['done']);
    expect(await statusOf(db, actionId)).toBe('success');
  });

  it('lets exactly one of two racing final reports win', async () => {
    const { app, db, keys, taskId } = await bootActionLab();
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'units');
    const url = `${API}/bootactions/${actionId}`;
    const [a, b] = await Promise.all([
      app.request(url, signal(actionKey, { status: 'success', details: [{ message: 'A', error: false }] })),
      app.request(url, signal(actionKey, { status: 'failure', details: [{ message: 'B', error: true }] })),
    ]);
    expect([a!.status, b!.status].sort()).toEqual([200, 409]);
    const winner = a!.status === 200 ? 'success' : 'failure';
    expect(await statusOf(db, actionId)).toBe(winner);
    expect((await messagesOf(db, taskId)).map((m) => m.message)).toEqual([winner === 'success' ? 'A' : 'B']);
  });

  it('answers 409 to any report on a non-signaling (unreported) action, as Drydock, and keeps nothing', async () => {
    const { app, db, keys, taskId } = await bootActionLab();
    const { nodeKey, actionId, actionKey } = await actionOf(keys, 'node00000', 'masters-only');
    for (const [key, body] of [
      [actionKey, { status: 'Failure' }],
      [nodeKey, { status: 'Success', details: [{ message: 'x', error: true }] }],
      [actionKey, { details: [{ message: 'y', error: false }] }],
      [actionKey, {}],
    ] as const) {
      const res = await app.request(`${API}/bootactions/${actionId}`, signal(key, body));
      expect(res.status).toBe(409);
      expect(await jsonOf(res)).toMatchObject({ code: 409, retry: false, message: expect.stringContaining('not a signaling boot action') });
    }
    expect(await statusOf(db, actionId)).toBe('unreported');
    expect(await messagesOf(db, taskId)).toEqual([]);
    const [task] = await db.select().from(tasks).where(eq(tasks.taskId, taskId));
    expect(task!.resultErrorCount).toBe(0);
  });

  it('answers on the seed path and Drydock path, with or without a trailing slash, after the doubled slash baclient makes of the report URL, and a lower-case id', async () => {
    const { app, db, keys, taskId } = await bootActionLab();
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    const paths = [
      `${API}/bootaction/${actionId}`,
      `${API}/bootaction/${actionId}/`,
      `${API}/bootactions/${actionId}`,
      `${API}/bootactions/${actionId.toLowerCase()}/`,
      // baclient's renderURL is "<-url>/<id>/", and the rendered report URL
      // ends with "/": `baclient -url {{ action.report_url }}` doubles it.
      `${API}/bootactions//${actionId}/`,
      `${API}/bootaction//${actionId}/`,
    ];
    for (const [i, path] of paths.entries()) {
      const res = await app.request(path, signal(actionKey, { details: [{ message: `m${i}`, error: false }] }));
      expect(res.status, path).toBe(200);
    }
    expect((await messagesOf(db, taskId)).map((m) => m.message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  });

  it.each([
    ['a reserved context', { details: [{ message: 'x', error: false, context: 'n1' }] }],
    ['a reserved context_type', { details: [{ message: 'x', error: false, context_type: 'node' }] }],
    ['a reserved ts', { details: [{ message: 'x', error: false, ts: '2020-01-01' }] }],
    ['a detail without error', { details: [{ message: 'x' }] }],
    ['a detail whose message is not a string', { details: [{ message: 3, error: false }] }],
    ['a detail that is not an object', { details: ['x'] }],
    ['details that are not a list', { details: { message: 'x', error: false } }],
    ['an unknown status', { status: 'Done' }],
    ['a null status', { status: null }],
    ['an unknown top-level field', { status: 'Success', node: 'n1' }],
    ['a list body', [{ status: 'Success' }]],
    ['too many details', { details: Array.from({ length: 101 }, () => ({ message: 'x', error: false })) }],
  ])('answers 400 for %s and changes nothing', async (_, body) => {
    const { app, db, keys, taskId } = await bootActionLab();
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    const res = await app.request(`${API}/bootactions/${actionId}`, signal(actionKey, body));
    expect(res.status).toBe(400);
    expect(await messagesOf(db, taskId)).toEqual([]);
    expect(await statusOf(db, actionId)).toBe('incomplete');
  });

  it('answers 400 for malformed JSON or no body, and 415 for another media type', async () => {
    const { app, keys } = await bootActionLab();
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    const url = `${API}/bootactions/${actionId}`;
    expect((await app.request(url, signal(actionKey, '{"status": '))).status).toBe(400);
    expect((await app.request(url, { method: 'POST', headers: { 'X-Bootaction-Key': actionKey } })).status).toBe(400);
    const text = await app.request(url, {
      method: 'POST',
      body: 'status=Success',
      headers: { 'Content-Type': 'text/plain', 'X-Bootaction-Key': actionKey },
    });
    expect(text.status).toBe(415);
  });

  it('checks the key before it reads the body', async () => {
    const { app, keys } = await bootActionLab();
    const { actionId } = await actionOf(keys, 'node00001', 'hello-world');
    const res = await app.request(`${API}/bootactions/${actionId}`, signal('ab'.repeat(32), '{"status": '));
    expect(res.status).toBe(403);
  });
});

describe('signals posted at the same time (committed together on libSQL)', () => {
  it('answers each its own result: a final action 409, the others taken with their own messages', async () => {
    const { app, db, keys, taskId } = await bootActionLab();
    const done = await actionOf(keys, 'node00000', 'hello-world');
    const open = await actionOf(keys, 'node00001', 'hello-world');
    const units = await actionOf(keys, 'node00001', 'units');
    expect((await app.request(`${API}/bootactions/${done.actionId}`, signal(done.actionKey, { status: 'Success' }))).status).toBe(200);
    const [late, detail, final] = await Promise.all([
      app.request(`${API}/bootactions/${done.actionId}`, signal(done.actionKey, { details: [{ message: 'late', error: false }] })),
      app.request(`${API}/bootactions/${open.actionId}`, signal(open.actionKey, { details: [{ message: 'open', error: true }] })),
      app.request(`${API}/bootactions/${units.actionId}`, signal(units.actionKey, { status: 'Failure' })),
    ]);
    expect([late.status, detail.status, final.status]).toEqual([409, 200, 200]);
    expect((await jsonOf(detail)).action_id).toBe(open.actionId);
    expect((await jsonOf(final)).action_status).toBe('failure');
    const messages = (await messagesOf(db, taskId)).map((m) => m.message);
    expect(messages).toContain('open');
    expect(messages).not.toContain('late');
    const [task] = await db.select({ errors: tasks.resultErrorCount }).from(tasks).where(eq(tasks.taskId, taskId));
    expect(task?.errors).toBe(1);
  });
});
