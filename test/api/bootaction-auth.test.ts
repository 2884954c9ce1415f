import { describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers/app.ts';
import { actionOf, API, bootActionLab, keyed, signal } from './bootaction-fixtures.ts';

const WRONG = 'ab'.repeat(32);
const FILES = `${API}/bootdata/node00001/files`;

describe('boot action key authentication', () => {
  it('answers 401 with a Bootaction-Key challenge when no key is sent', async () => {
    const { app, keys } = await bootActionLab();
    const { actionId } = await actionOf(keys, 'node00001', 'hello-world');
    for (const res of [
      await app.request(FILES),
      await app.request(FILES, keyed('  ')),
      await app.request(`${API}/bootactions/${actionId}`, signal(null, { status: 'Success' })),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bootaction-Key');
    }
  });

  it('answers the same 403 for an unknown host, a wrong key and malformed hex', async () => {
    const { app, keys } = await bootActionLab();
    const nodeKey = keys.get('node00001')!.nodeKey;
    const responses = [
      await app.request(`${API}/bootdata/no-such-host/files`, keyed(nodeKey)),
      await app.request(FILES, keyed(WRONG)),
      await app.request(FILES, keyed('not hex at all')),
      await app.request(FILES, keyed(nodeKey.slice(0, 63))),
      await app.request(`${API}/bootactions/nodes/node00001/units`, keyed(keys.get('node00000')!.nodeKey)),
    ];
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!)).toMatchObject({ kind: 'Status', code: 403, message: 'Invalid X-Bootaction-Key' });
  });

  it("answers the same 403 for an unknown action, a wrong key, another action's key and another node's key", async () => {
    const { app, keys } = await bootActionLab();
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    const other = await actionOf(keys, 'node00001', 'units');
    const otherNode = await actionOf(keys, 'node00000', 'hello-world');
    const responses = [
      await app.request(`${API}/bootactions/01HZZZZZZZZZZZZZZZZZZZZZZZ`, signal(actionKey, { status: 'Success' })),
      await app.request(`${API}/bootactions/${actionId}`, signal(WRONG, { status: 'Success' })),
      await app.request(`${API}/bootactions/${actionId}`, signal(otherNode.nodeKey, { status: 'Success' })),
      await app.request(`${API}/bootactions/${actionId}`, signal(otherNode.actionKey, { status: 'Success' })),
      await app.request(`${API}/bootactions/${actionId}`, signal(other.actionKey, { status: 'Success' })),
      await app.request(`${API}/bootactions/${actionId}`, signal('zz'.repeat(32), { status: 'Success' })),
      await app.request(`${API}/bootactions/${actionId}`, signal(otherNode.nodeKey.slice(0, 63), { status: 'Success' })),
      await app.request(`${API}/bootactions/not-a-ulid`, signal(actionKey, { status: 'Success' })),
    ];
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(403));
    expect(new Set(bodies).size).toBe(1);
  });

  it("signals every boot action of the node with the node's key, as Drydock's one key per node does", async () => {
    const { app, keys, logs } = await bootActionLab();
    const nodeKey = keys.get('node00000')!.nodeKey;
    const names = keys.get('node00000')!.actions.filter((a) => a.signaling).map((a) => a.name);
    expect(names).toEqual(['hello-world', 'units']);
    for (const name of names) {
      const { actionId } = await actionOf(keys, 'node00000', name);
      // baclient's path: <report_url><action id>/, with the key read from -keyfile.
      const res = await app.request(`${API}/bootactions/${actionId}/`, signal(nodeKey, { status: 'Success' }));
      expect(res.status, name).toBe(200);
      expect((await jsonOf(res)).action_status).toBe('success');
    }
    const signals = logs.filter((l) => l.record.msg === 'boot action signal').map((l) => l.record.key);
    expect(signals).toEqual(['node key', 'node key']);
  });

  it('accepts an action key for its own action only, and the node key only for its current context', async () => {
    const { app, keys, deploy, clock } = await bootActionLab({ env: { BOOTACTION_CONTEXT_TTL_SECONDS: '3600' } });
    const hello = await actionOf(keys, 'node00001', 'hello-world');
    const units = await actionOf(keys, 'node00001', 'units');
    expect((await app.request(`${API}/bootactions/${units.actionId}`, signal(hello.actionKey, {}))).status).toBe(403);
    expect((await app.request(`${API}/bootactions/${hello.actionId}`, signal(hello.actionKey, {}))).status).toBe(200);
    // Deployed again: the earlier node key reaches neither the earlier actions nor the new ones.
    const again = await deploy(['node00001']);
    const fresh = await actionOf(again.keys, 'node00001', 'hello-world');
    expect((await app.request(`${API}/bootactions/${hello.actionId}`, signal(fresh.nodeKey, {}))).status).toBe(403);
    expect((await app.request(`${API}/bootactions/${hello.actionId}`, signal(hello.nodeKey, {}))).status).toBe(403);
    expect((await app.request(`${API}/bootactions/${fresh.actionId}`, signal(hello.nodeKey, {}))).status).toBe(403);
    expect((await app.request(`${API}/bootactions/${fresh.actionId}`, signal(fresh.nodeKey, {}))).status).toBe(200);
    // And no key works once the context has expired.
    clock.advance(3600_000);
    expect((await app.request(`${API}/bootactions/${fresh.actionId}`, signal(fresh.nodeKey, {}))).status).toBe(403);
  });

  it('accepts a key in upper-case hex, as Drydock did', async () => {
    const { app, keys } = await bootActionLab();
    const res = await app.request(FILES, keyed(keys.get('node00001')!.nodeKey.toUpperCase()));
    expect(res.status).toBe(200);
  });

  it('refuses keys of an expired context with the same 403', async () => {
    const { app, keys, clock } = await bootActionLab({ env: { BOOTACTION_CONTEXT_TTL_SECONDS: '3600' } });
    const { nodeKey, actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    expect((await app.request(FILES, keyed(nodeKey))).status).toBe(200);
    clock.advance(3600_000);
    const get = await app.request(FILES, keyed(nodeKey));
    const post = await app.request(`${API}/bootactions/${actionId}`, signal(actionKey, { status: 'Success' }));
    const unknown = await app.request(`${API}/bootdata/no-such-host/files`, keyed(nodeKey));
    expect([get.status, post.status]).toEqual([403, 403]);
    expect(await get.text()).toBe(await unknown.text());
  });

  it('makes the keys of an earlier deployment unusable once the node is deployed again', async () => {
    const { app, keys, deploy } = await bootActionLab();
    const old = await actionOf(keys, 'node00001', 'hello-world');
    const again = await deploy(['node00001']);
    const fresh = await actionOf(again.keys, 'node00001', 'hello-world');
    expect(fresh.nodeKey).not.toBe(old.nodeKey);
    expect(fresh.actionId).not.toBe(old.actionId);
    expect((await app.request(FILES, keyed(old.nodeKey))).status).toBe(403);
    expect((await app.request(`${API}/bootactions/${old.actionId}`, signal(old.actionKey, { status: 'Success' }))).status).toBe(403);
    expect((await app.request(FILES, keyed(fresh.nodeKey))).status).toBe(200);
    const ok = await app.request(`${API}/bootactions/${fresh.actionId}`, signal(fresh.actionKey, { status: 'Success' }));
    expect(ok.status).toBe(200);
    expect((await jsonOf(ok)).task_id).toBe(again.taskId);
    // The other node's context, not redeployed, still works.
    expect((await app.request(`${API}/bootdata/node00000/files`, keyed(keys.get('node00000')!.nodeKey))).status).toBe(200);
  });

  it('keeps keys out of the logs', async () => {
    const { app, keys, logs } = await bootActionLab();
    const { nodeKey, actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    await app.request(FILES, keyed(nodeKey));
    await app.request(FILES, keyed(WRONG));
    await app.request(`${API}/bootactions/${actionId}`, signal(actionKey, { details: [{ message: 'hi', error: false }] }));
    await app.request(`${API}/bootactions/${actionId}`, signal(WRONG, { status: 'Success' }));
    const all = logs.map((l) => l.line).join('\n');
    expect(all).toContain('boot action key refused');
    for (const secret of [nodeKey, actionKey, WRONG]) expect(all).not.toContain(secret);
  });
});

describe('boot action failed-attempt rate limit', () => {
  const env = { BOOTACTION_AUTH_FAILURES_PER_MINUTE: '3' };
  const from = (ip: string, key: string) => keyed(key, { 'CF-Connecting-IP': ip });

  it('answers 429 with Retry-After once a client has failed the limit, even with the right key', async () => {
    const { app, keys, clock } = await bootActionLab({ env });
    const nodeKey = keys.get('node00000')!.nodeKey;
    clock.advance(15_000);
    for (let i = 0; i < 3; i++) {
      expect((await app.request(`${API}/bootdata/host${i}/files`, from('192.0.2.1', WRONG))).status).toBe(403);
    }
    const blocked = await app.request(`${API}/bootdata/node00000/files`, from('192.0.2.1', nodeKey));
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('Retry-After')).toBe('45');
    expect(await jsonOf(blocked)).toMatchObject({ code: 429, retry: true });
    // Another client is not affected.
    expect((await app.request(`${API}/bootdata/node00000/files`, from('192.0.2.2', nodeKey))).status).toBe(200);
    // The next minute starts afresh.
    clock.advance(45_000);
    expect((await app.request(`${API}/bootdata/node00000/files`, from('192.0.2.1', nodeKey))).status).toBe(200);
  });

  it('never refuses the real key because other clients failed against its host (30+ wrong keys a minute)', async () => {
    const { app, keys } = await bootActionLab();
    const nodeKey = keys.get('node00001')!.nodeKey;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await app.request(FILES, from(`198.51.100.${i}`, WRONG))).status);
    // The default limit is 30 per host: the first 30 wrong keys are 403, the rest 429.
    expect(statuses).toEqual([...Array(30).fill(403), ...Array(10).fill(429)]);
    const real = await app.request(FILES, from('198.51.100.200', nodeKey));
    expect(real.status).toBe(200);
    // Even from an address that sent one of the wrong keys, as long as that address is under its own limit.
    expect((await app.request(FILES, from('198.51.100.7', nodeKey))).status).toBe(200);
  });

  it('answers 429 with Retry-After to wrong keys for a host over its limit, whoever sends them', async () => {
    const { app, clock } = await bootActionLab({ env });
    clock.advance(20_000);
    for (let i = 0; i < 3; i++) expect((await app.request(FILES, from(`198.51.100.${i}`, WRONG))).status).toBe(403);
    const over = await app.request(FILES, from('198.51.100.99', WRONG));
    expect(over.status).toBe(429);
    expect(over.headers.get('Retry-After')).toBe('40');
    // Other hosts, and unknown ones, keep their own count.
    expect((await app.request(`${API}/bootdata/node00000/files`, from('198.51.100.99', WRONG))).status).toBe(403);
  });

  it('never refuses the real action key because other clients failed against its action id, known or not', async () => {
    const { app, keys } = await bootActionLab({ env });
    const { actionId, actionKey } = await actionOf(keys, 'node00001', 'hello-world');
    for (const id of [actionId, '01HZZZZZZZZZZZZZZZZZZZZZZZ']) {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await app.request(`${API}/bootactions/${id}`, signal(WRONG, {}, { 'CF-Connecting-IP': `203.0.113.${i}` }));
        statuses.push(res.status);
      }
      expect(statuses).toEqual([403, 403, 403, 429, 429]);
    }
    const res = await app.request(`${API}/bootactions/${actionId}`, signal(actionKey, {}, { 'CF-Connecting-IP': '203.0.113.50' }));
    expect(res.status).toBe(200);
    const byNodeKey = signal(keys.get('node00001')!.nodeKey, {}, { 'CF-Connecting-IP': '203.0.113.51' });
    expect((await app.request(`${API}/bootactions/${actionId}`, byNodeKey)).status).toBe(200);
  });

  it('still limits one client address that sends many wrong keys', async () => {
    const { app, keys } = await bootActionLab();
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await app.request(`${API}/bootdata/host${i}/files`, from('192.0.2.66', WRONG))).status);
    expect(statuses).toEqual([...Array(30).fill(403), ...Array(5).fill(429)]);
    // Its own right key too, until the window ends; another address is not affected.
    expect((await app.request(FILES, from('192.0.2.66', keys.get('node00001')!.nodeKey))).status).toBe(429);
    expect((await app.request(FILES, from('192.0.2.67', keys.get('node00001')!.nodeKey))).status).toBe(200);
  });

  it('keeps no shared bucket for clients whose address is unknown', async () => {
    const { app, keys } = await bootActionLab({ env });
    for (let i = 0; i < 5; i++) expect((await app.request(`${API}/bootdata/h${i}/files`, keyed(WRONG))).status).toBe(403);
    expect((await app.request(FILES, keyed(keys.get('node00001')!.nodeKey))).status).toBe(200);
  });

  it('does not count successful requests', async () => {
    const { app, keys } = await bootActionLab({ env });
    for (let i = 0; i < 5; i++) {
      expect((await app.request(FILES, keyed(keys.get('node00001')!.nodeKey))).status).toBe(200);
    }
  });

  it('counts by the socket address on Node, ignoring a CF-Connecting-IP a client made up', async () => {
    const { app } = await bootActionLab({ env });
    const socket = (addr: string) => ({ incoming: { socket: { remoteAddress: addr } } });
    for (let i = 0; i < 3; i++) {
      const res = await app.request(`${API}/bootdata/h${i}/files`, from(`192.0.2.${i}`, WRONG), socket('10.1.1.1'));
      expect(res.status).toBe(403);
    }
    expect((await app.request(`${API}/bootdata/h9/files`, from('192.0.2.77', WRONG), socket('10.1.1.1'))).status).toBe(429);
    expect((await app.request(`${API}/bootdata/h9/files`, from('192.0.2.77', WRONG), socket('10.1.1.2'))).status).toBe(403);
  });

  it('counts by the last X-Forwarded-For entry when that header is configured', async () => {
    const { app } = await bootActionLab({ env: { ...env, BOOTACTION_CLIENT_ADDRESS_HEADER: 'X-Forwarded-For' } });
    const via = (chain: string) => keyed(WRONG, { 'X-Forwarded-For': chain });
    for (let i = 0; i < 3; i++) {
      expect((await app.request(`${API}/bootdata/h${i}/files`, via(`203.0.113.${i}, 192.0.2.5`))).status).toBe(403);
    }
    expect((await app.request(`${API}/bootdata/h9/files`, via('192.0.2.5'))).status).toBe(429);
    expect((await app.request(`${API}/bootdata/h9/files`, via('192.0.2.5, 192.0.2.6'))).status).toBe(403);
  });
});

describe('boot action key checks on a database that cannot be written', () => {
  it('still answers 403, never 500 and never a pass, when counting the failure fails', async () => {
    const { app, keys, database, logs } = await bootActionLab();
    const db = database.db as unknown as { batch: (items: unknown[]) => Promise<unknown[]> };
    db.batch = async () => {
      throw new Error('SQLITE_READONLY: attempt to write a readonly database');
    };
    const { actionId } = await actionOf(keys, 'node00001', 'hello-world');
    const responses = [
      await app.request(FILES, keyed(WRONG, { 'CF-Connecting-IP': '192.0.2.9' })),
      await app.request(`${API}/bootdata/no-such-host/files`, keyed(WRONG, { 'CF-Connecting-IP': '192.0.2.9' })),
      await app.request(`${API}/bootactions/${actionId}`, signal(WRONG, { status: 'Success' }, { 'CF-Connecting-IP': '192.0.2.9' })),
    ];
    expect(responses.map((r) => r.status)).toEqual([403, 403, 403]);
    const warnings = logs.filter((l) => l.level === 'warn' && l.record.msg === 'boot action key failure not counted');
    expect(warnings.length).toBe(3);
    expect(logs.some((l) => l.level === 'error')).toBe(false);
    expect(logs.map((l) => l.line).join('\n')).not.toContain(WRONG);
  });
});
