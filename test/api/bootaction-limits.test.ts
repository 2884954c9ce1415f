import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bootActionStatus } from '../../src/db/schema/bootactions.ts';
import { resultMessages, tasks } from '../../src/db/schema/tasks.ts';
import type { Db } from '../../src/db/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { actionOf, API, bootActionLab, signal } from './bootaction-fixtures.ts';

const messagesOf = (db: Db, taskId: string) =>
  db.select().from(resultMessages).where(eq(resultMessages.taskId, taskId)).orderBy(asc(resultMessages.sequence));

async function stateOf(db: Db, taskId: string, actionId: string) {
  const [action] = await db.select().from(bootActionStatus).where(eq(bootActionStatus.actionId, actionId));
  const [task] = await db.select().from(tasks).where(eq(tasks.taskId, taskId));
  return { messages: (await messagesOf(db, taskId)).map((m) => m.message), status: action?.actionStatus, errors: task?.resultErrorCount };
}

const detail = (message: string, extra: Record<string, unknown> = {}) => ({ message, error: true, ...extra });
const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { v: value };
  return value;
};

async function lab(env: Record<string, string> = {}) {
  const built = await bootActionLab({ env });
  const action = await actionOf(built.keys, 'node00001', 'hello-world');
  const post = (body: unknown) => built.app.request(`${API}/bootactions/${action.actionId}`, signal(action.actionKey, body));
  const state = () => stateOf(built.db, built.taskId, action.actionId);
  return { ...built, ...action, post, state };
}

describe('boot action signal limits', () => {
  it('answers 400 for a detail field nested 50,000 deep and stores nothing', async () => {
    const { post, state } = await lab();
    const deep = '{"v":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    const res = await post(`{"status": "Success", "details": [{"message": "x", "error": true, "deep": ${deep}}]}`);
    expect(res.status).toBe(400);
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 400 });
    expect(await state()).toEqual({ messages: [], status: 'incomplete', errors: 0 });
  });

  it('answers 400 for extra fields nested deeper than BOOTACTION_DETAIL_MAX_DEPTH, within the body limit', async () => {
    const { post, state } = await lab({ BOOTACTION_DETAIL_MAX_DEPTH: '3' });
    expect((await post({ details: [detail('ok', { a: nested(3) })] })).status).toBe(200);
    const res = await post({ status: 'Failure', details: [detail('fine'), detail('deep', { a: nested(4) })] });
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toBe('details[1]: extra fields may nest at most 3 levels');
    expect(await state()).toEqual({ messages: ['ok'], status: 'incomplete', errors: 1 });
  });

  it('answers 413 for a message over BOOTACTION_MAX_MESSAGE_CHARS and stores nothing', async () => {
    const { post, state } = await lab({ BOOTACTION_MAX_MESSAGE_CHARS: '100' });
    expect((await post({ details: [detail('x'.repeat(100))] })).status).toBe(200);
    const res = await post({ status: 'Success', details: [detail('short'), detail('y'.repeat(101))] });
    expect(res.status).toBe(413);
    expect((await jsonOf(res)).message).toBe('details[1].message is longer than 100 characters');
    expect(await state()).toEqual({ messages: ['x'.repeat(100)], status: 'incomplete', errors: 1 });
  });

  it('refuses a 500 KB message with the default limit', async () => {
    const { post, state } = await lab();
    const res = await post({ details: [detail('z'.repeat(500_000))] });
    expect(res.status).toBe(413);
    expect((await state()).messages).toEqual([]);
  });

  it('answers 413 for extra fields over BOOTACTION_DETAIL_MAX_EXTRA_CHARS and stores nothing', async () => {
    const { post, state } = await lab({ BOOTACTION_DETAIL_MAX_EXTRA_CHARS: '40' });
    // {"log":"…"} is 10 characters plus the value.
    expect((await post({ details: [detail('ok', { log: 'a'.repeat(30) })] })).status).toBe(200);
    const res = await post({ details: [detail('big', { log: 'a'.repeat(31) })] });
    expect(res.status).toBe(413);
    expect((await jsonOf(res)).message).toBe('details[0]: extra fields take more than 40 characters as JSON');
    expect((await state()).messages).toEqual(['ok']);
  });

  it('answers 409 once BOOTACTION_MAX_MESSAGES would be passed, storing none of that POST, and still takes a status', async () => {
    const { post, state } = await lab({ BOOTACTION_MAX_MESSAGES: '5' });
    expect((await post({ details: [detail('1'), detail('2'), detail('3')] })).status).toBe(200);
    const over = await post({ status: 'Failure', details: [detail('4'), detail('5'), detail('6')] });
    expect(over.status).toBe(409);
    expect(await jsonOf(over)).toMatchObject({ code: 409, retry: false, message: expect.stringMatching(/at most 5 messages/) });
    expect(await state()).toEqual({ messages: ['1', '2', '3'], status: 'incomplete', errors: 3 });
    expect((await post({ details: [detail('4'), detail('5')] })).status).toBe(200);
    expect((await post({ details: [detail('6')] })).status).toBe(409);
    const done = await post({ status: 'Success' });
    expect(done.status).toBe(200);
    expect(await state()).toEqual({ messages: ['1', '2', '3', '4', '5'], status: 'success', errors: 5 });
  });

  it('counts the budget per action: another action of the same task has its own', async () => {
    const { app, keys, post, db, taskId } = await lab({ BOOTACTION_MAX_MESSAGES: '2' });
    expect((await post({ details: [detail('a'), detail('b')] })).status).toBe(200);
    const units = await actionOf(keys, 'node00001', 'units');
    const other = await app.request(`${API}/bootactions/${units.actionId}`, signal(units.actionKey, { details: [detail('c'), detail('d')] }));
    expect(other.status).toBe(200);
    expect((await messagesOf(db, taskId)).map((m) => m.message)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets racing posts together stay within the budget, each all or nothing', async () => {
    const { post, state } = await lab({ BOOTACTION_MAX_MESSAGES: '10' });
    const bodies = Array.from({ length: 6 }, (_, i) => ({ details: [0, 1, 2].map((j) => detail(`${i}.${j}`)) }));
    const results = await Promise.all(bodies.map((b) => post(b)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 409, 409, 409]);
    const { messages } = await state();
    expect(messages.length).toBe(9);
    for (const [i, r] of results.entries()) {
      const mine = messages.filter((m) => m.startsWith(`${i}.`));
      expect(mine.length).toBe(r.status === 200 ? 3 : 0);
    }
  });
});
