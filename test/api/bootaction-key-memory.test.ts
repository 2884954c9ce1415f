import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bootActionContexts } from '../../src/db/schema/bootactions.ts';
import { rateLimits } from '../../src/db/schema/ratelimit.ts';
import { tasks } from '../../src/db/schema/tasks.ts';
import { deleteTasksOlderThan } from '../../src/services/tasks/index.ts';
import { KeyCheckMemory } from '../../src/bootaction/key-memory.ts';
import { jsonOf } from '../helpers/app.ts';
import { actionOf, API, bootActionLab, keyed, signal } from './bootaction-fixtures.ts';

const WRONG = 'ab'.repeat(32);
const FILES = `${API}/bootdata/node00001/files`;
const from = (ip: string, key: string) => keyed(key, { 'CF-Connecting-IP': ip });

describe('the memory of passed node key checks (BOOTACTION_KEY_CHECK_MEMORY_MS)', () => {
  it('answers a repeated check from memory for up to its time, then reads the database again', async () => {
    const { app, db, keys, clock } = await bootActionLab({ env: { BOOTACTION_KEY_CHECK_MEMORY_MS: '2000' } });
    const nodeKey = keys.get('node00001')!.nodeKey;
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(200);
    // Another process replaces the context behind this one's back: seen once the memory runs out.
    await db.delete(bootActionContexts).where(eq(bootActionContexts.nodeName, 'node00001'));
    clock.advance(1500);
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(200);
    clock.advance(600);
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(403);
  });

  it('reads the database on every check when set to 0', async () => {
    const { app, db, keys } = await bootActionLab({ env: { BOOTACTION_KEY_CHECK_MEMORY_MS: '0' } });
    const nodeKey = keys.get('node00001')!.nodeKey;
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(200);
    await db.delete(bootActionContexts).where(eq(bootActionContexts.nodeName, 'node00001'));
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(403);
  });

  it('sees a failure window filled by another process only once the memory runs out', async () => {
    const env = { BOOTACTION_KEY_CHECK_MEMORY_MS: '2000', BOOTACTION_AUTH_FAILURES_PER_MINUTE: '3' };
    const { app, db, keys, clock } = await bootActionLab({ env });
    const nodeKey = keys.get('node00001')!.nodeKey;
    clock.advance(10_000);
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(200);
    const windowStart = Math.floor(clock.now().getTime() / 60_000) * 60_000;
    await db.insert(rateLimits).values({ bucket: 'bootaction-client:192.0.2.1', windowStart, count: 3 });
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(200);
    clock.advance(2000);
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(429);
  });
});

describe('key check guarantees that hold at once in this process, with the memory on', () => {
  const env = { BOOTACTION_KEY_CHECK_MEMORY_MS: '10000', BOOTACTION_AUTH_FAILURES_PER_MINUTE: '3' };

  it('answers 429 to a remembered client as soon as it fails its limit here, even with the right key', async () => {
    const { app, keys, clock } = await bootActionLab({ env });
    const nodeKey = keys.get('node00001')!.nodeKey;
    clock.advance(5000);
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await app.request(`${API}/bootdata/h${i}/files`, from('192.0.2.1', WRONG))).status).toBe(403);
    expect((await app.request(FILES, from('192.0.2.1', nodeKey))).status).toBe(429);
    // Another remembered address is not affected.
    expect((await app.request(FILES, from('192.0.2.2', nodeKey))).status).toBe(200);
  });

  it('refuses wrong keys for a remembered host with the same 403 as an unknown host, and 429 past its limit, while the right key passes', async () => {
    const { app, keys, clock } = await bootActionLab({ env });
    const nodeKey = keys.get('node00001')!.nodeKey;
    clock.advance(5000);
    expect((await app.request(FILES, from('198.51.100.1', nodeKey))).status).toBe(200);
    const wrong = [];
    for (let i = 0; i < 4; i++) wrong.push(await app.request(FILES, from(`198.51.100.${10 + i}`, WRONG)));
    expect(wrong.map((r) => r.status)).toEqual([403, 403, 403, 429]);
    const unknown = await app.request(`${API}/bootdata/no-such-host/files`, from('198.51.100.20', nodeKey));
    expect(await wrong[0]!.text()).toBe(await unknown.text());
    expect((await app.request(FILES, from('198.51.100.1', nodeKey))).status).toBe(200);
    expect((await app.request(FILES, keyed(nodeKey))).status).toBe(200);
  });

  it('refuses a remembered key as soon as its node is deployed again here', async () => {
    const { app, keys, deploy } = await bootActionLab({ env });
    const old = keys.get('node00001')!.nodeKey;
    expect((await app.request(FILES, from('192.0.2.1', old))).status).toBe(200);
    const again = await deploy(['node00001']);
    expect((await app.request(FILES, from('192.0.2.1', old))).status).toBe(403);
    expect((await app.request(FILES, from('192.0.2.1', again.keys.get('node00001')!.nodeKey))).status).toBe(200);
  });

  it('refuses a remembered key as soon as its context expires, whatever the memory has left', async () => {
    const { app, keys, clock } = await bootActionLab({ env: { ...env, BOOTACTION_CONTEXT_TTL_SECONDS: '60' } });
    const nodeKey = keys.get('node00001')!.nodeKey;
    clock.advance(59_000);
    expect((await app.request(FILES, keyed(nodeKey))).status).toBe(200);
    clock.advance(1000);
    expect((await app.request(FILES, keyed(nodeKey))).status).toBe(403);
  });

  it('forgets every host when old tasks are purged here', async () => {
    const { app, keys, clock, taskId, db } = await bootActionLab({ env });
    const nodeKey = keys.get('node00001')!.nodeKey;
    expect((await app.request(FILES, keyed(nodeKey))).status).toBe(200);
    await db.update(tasks).set({ status: 'complete' }).where(eq(tasks.taskId, taskId));
    clock.advance(1000);
    expect((await deleteTasksOlderThan({ db, clock: clock.now }, 0)).deleted).toBe(1);
    expect((await app.request(FILES, keyed(nodeKey))).status).toBe(403);
  });
});

describe('the memory of passed action key checks (signals)', () => {
  const env = { BOOTACTION_KEY_CHECK_MEMORY_MS: '10000', BOOTACTION_AUTH_FAILURES_PER_MINUTE: '3' };
  const post = (key: string, body: unknown, ip = '192.0.2.1') => signal(key, body, { 'CF-Connecting-IP': ip });

  it('answers a repeated signal check from memory, the stored status still deciding', async () => {
    const { app, db, keys } = await bootActionLab({ env });
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    const url = `${API}/bootactions/${actionId}`;
    expect((await app.request(url, post(actionKey, { details: [{ message: 'one', error: false }] }))).status).toBe(200);
    await db.delete(bootActionContexts).where(eq(bootActionContexts.nodeName, 'node00001'));
    const done = await app.request(url, post(actionKey, { status: 'Success' }));
    expect([done.status, (await jsonOf(done)).action_status]).toEqual([200, 'success']);
    expect((await app.request(url, post(actionKey, { status: 'Failure' }))).status).toBe(409);
  });

  it("refuses a remembered action's keys as soon as its node is deployed again here", async () => {
    const { app, keys, deploy } = await bootActionLab({ env });
    const old = await actionOf(keys, 'node00001', 'hello-world');
    const url = `${API}/bootactions/${old.actionId}`;
    // Each from its own address, so no failure counted for one makes the next read the database anyway.
    expect((await app.request(url, post(old.actionKey, {}, '192.0.2.1'))).status).toBe(200);
    expect((await app.request(url, post(old.nodeKey, {}, '192.0.2.2'))).status).toBe(200);
    await deploy(['node00001']);
    expect((await app.request(url, post(old.nodeKey, {}, '192.0.2.2'))).status).toBe(403);
    expect((await app.request(url, signal(old.nodeKey, {}))).status).toBe(403);
  });

  it('answers 429 to a remembered client as soon as it fails its limit here, even with the right key', async () => {
    const { app, keys, clock } = await bootActionLab({ env });
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    clock.advance(5000);
    const url = `${API}/bootactions/${actionId}`;
    expect((await app.request(url, post(actionKey, {}))).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await app.request(`${API}/bootactions/01HZZZZZZZZZZZZZZZZZZZZZZ${i}`, post(WRONG, {}))).status).toBe(403);
    expect((await app.request(url, post(actionKey, {}))).status).toBe(429);
    expect((await app.request(url, post(actionKey, {}, '192.0.2.2'))).status).toBe(200);
  });

  it('refuses a remembered action key as soon as its context expires', async () => {
    const { app, keys, clock } = await bootActionLab({ env: { ...env, BOOTACTION_CONTEXT_TTL_SECONDS: '60' } });
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    clock.advance(59_000);
    expect((await app.request(`${API}/bootactions/${actionId}`, signal(actionKey, {}))).status).toBe(200);
    clock.advance(1000);
    expect((await app.request(`${API}/bootactions/${actionId}`, signal(actionKey, {}))).status).toBe(403);
  });
});

describe('KeyCheckMemory', () => {
  const record = { nodeName: 'n1', taskId: 't1', designRef: 'design://d', designContentHash: null };
  const entry = { name: 'n1', digest: 'a'.repeat(64), record, contextExpires: null, client: 'c1' };

  it('does not keep a check that read the database before a context write it did not see', () => {
    const memory = new KeyCheckMemory();
    const before = memory.generation;
    memory.forgetHosts(['n1']);
    memory.remember('node', before, entry, 0, 1000);
    expect(memory.recall('node', 'n1', entry.digest, 1)).toBeUndefined();
    memory.remember('node', memory.generation, entry, 0, 1000);
    expect(memory.recall('node', 'n1', entry.digest, 1)).toEqual(record);
    expect(memory.recall('node', 'n1', 'b'.repeat(64), 1)).toBeUndefined();
    expect(memory.clientUnder('c1', 999)).toBe(true);
    expect(memory.clientUnder('c1', 1000)).toBe(false);
  });

  it("does not keep a check that read its client's window before a failure counted for that client", () => {
    const memory = new KeyCheckMemory();
    const before = memory.generation;
    memory.forgetClients(['c1']);
    memory.remember('node', before, entry, 0, 1000);
    expect(memory.clientUnder('c1', 1)).toBe(false);
  });
});
