import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/digest.ts';
import { agents } from '../../src/db/schema/agents.ts';
import { jsonOf } from '../helpers/app.ts';
import { ADMIN, adminJson, agentApp, API, asAgent, callRow, lease, newAgent, NOW, queueCall } from './agents-fixtures.ts';
import { READER } from './tasks-fixtures.ts';

const REFUSED = { kind: 'Status', message: 'agent token refused', reason: 'Unauthorized', code: 401 };
const heartbeatBody = { version: '0.1.0', drivers: ['node:maas', 'oob:ipmi'], tools: { ipmitool: true, virsh: false } };

describe('agent tokens', () => {
  it('shows the token once, keeps only its SHA-256 digest, and never lists it', async () => {
    const { app, db } = await agentApp();
    const res = await app.request(`${API}/agents`, adminJson({ name: 'east-lab-1', site: 'east-lab' }));
    expect(res.status).toBe(201);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const created = await jsonOf(res);
    expect(created).toEqual({ agent_id: expect.any(String), name: 'east-lab-1', site: 'east-lab', token: expect.any(String), created: NOW.toISOString() });
    expect(created.token).toMatch(/^dda_[A-Za-z0-9_-]{43}$/);
    const rows = await db.select().from(agents);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenDigest).toBe(await sha256Hex(created.token));
    expect(JSON.stringify(rows)).not.toContain(created.token.slice(4));
    const listed = await app.request(`${API}/agents`, { headers: { 'X-Auth-Token': ADMIN } });
    const text = await listed.text();
    expect(text).not.toContain(created.token.slice(4));
    expect(text).not.toContain(rows[0]!.tokenDigest);
    expect(JSON.parse(text)).toEqual([
      {
        agent_id: created.agent_id, name: 'east-lab-1', site: 'east-lab', created: NOW.toISOString(), revoked: null,
        last_seen: null, live: false, version: null, drivers: [], tools: {},
      },
    ]);
    // Two agents never share a token.
    expect((await newAgent(app, 'east-lab', 'east-lab-2')).token).not.toBe(created.token);
  });

  it('refuses a bad name or site with the error envelope and stores nothing', async () => {
    const { app, db } = await agentApp();
    for (const body of [{ name: 'has space', site: 's' }, { name: 'x'.repeat(64), site: 's' }, { name: 'a', site: '' }, { name: 'a', site: 'a\nb' }, { name: 'a' }, ['a']]) {
      const res = await app.request(`${API}/agents`, adminJson(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 400 });
    }
    expect(await db.select().from(agents)).toEqual([]);
  });

  it('is for admins only (manage_agents), and a user token is no agent token', async () => {
    const { app } = await agentApp();
    expect((await app.request(`${API}/agents`, { headers: { 'X-Auth-Token': READER } })).status).toBe(403);
    const res = await app.request(`${API}/agents/heartbeat`, asAgent(ADMIN, heartbeatBody));
    expect(res.status).toBe(401);
    const viaKeystoneHeader = await app.request(`${API}/agents/heartbeat`, asAgent(null, heartbeatBody, { 'X-Auth-Token': (await newAgent(app, 's')).token }));
    expect(viaKeystoneHeader.status).toBe(401);
  });

  it('answers a heartbeat and shows the agent live with what it reported', async () => {
    const { app, advance } = await agentApp();
    const { id, token } = await newAgent(app, 'east-lab');
    advance(5);
    const res = await app.request(`${API}/agents/heartbeat`, asAgent(token, heartbeatBody));
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ agent_id: id, site: 'east-lab', server_time: new Date(NOW.getTime() + 5000).toISOString() });
    const list = async () => (await jsonOf(await app.request(`${API}/agents`, { headers: { 'X-Auth-Token': ADMIN } })))[0];
    expect(await list()).toMatchObject({ live: true, version: '0.1.0', drivers: ['node:maas', 'oob:ipmi'], tools: { ipmitool: true, virsh: false } });
    advance(91);
    expect(await list()).toMatchObject({ live: false, last_seen: new Date(NOW.getTime() + 5000).toISOString() });
  });

  it('answers the same 401 to a missing, malformed, unknown or revoked token', async () => {
    const { app, db } = await agentApp();
    const { id, token } = await newAgent(app, 'east-lab');
    const callId = await queueCall(db, 'east-lab');
    expect(await lease(app, token)).toHaveLength(1);
    expect((await callRow(db, callId)).state).toBe('leased');
    expect((await app.request(`${API}/agents/${id}`, { method: 'DELETE', headers: { 'X-Auth-Token': ADMIN } })).status).toBe(204);
    const unknown = `dda_${'A'.repeat(43)}`;
    const bodies: string[] = [];
    for (const presented of [null, 'not-a-token', `Basic ${token}`, unknown, token]) {
      const init = presented?.startsWith('Basic')
        ? asAgent(null, heartbeatBody, { Authorization: presented })
        : asAgent(presented, heartbeatBody);
      const res = await app.request(`${API}/agents/heartbeat`, init);
      expect(res.status, String(presented)).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
      const body = await jsonOf(res);
      expect(body).toMatchObject(REFUSED);
      bodies.push(JSON.stringify(body));
    }
    expect(new Set(bodies).size).toBe(1);
    // Revoking put the leased call back in the queue, its lease gone.
    expect(await callRow(db, callId)).toMatchObject({ state: 'queued', leaseId: null, leaseAgent: null, leaseExpires: null });
    const list = await jsonOf(await app.request(`${API}/agents`, { headers: { 'X-Auth-Token': ADMIN } }));
    expect(list[0]).toMatchObject({ agent_id: id, revoked: NOW.toISOString(), live: false });
    const other = await newAgent(app, 'east-lab', 'east-lab-2');
    expect((await lease(app, other.token))[0]).toMatchObject({ call_id: callId, attempt: 2 });
  });

  it('answers 404 to revoking an unknown agent', async () => {
    const { app } = await agentApp();
    const res = await app.request(`${API}/agents/nope`, { method: 'DELETE', headers: { 'X-Auth-Token': ADMIN } });
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 404 });
  });

  it('limits refused tokens per client address: 429 with Retry-After, the right token included, other addresses unaffected', async () => {
    const { app } = await agentApp({ BOOTACTION_AUTH_FAILURES_PER_MINUTE: '3' });
    const { token } = await newAgent(app, 'east-lab');
    const from = (address: string, presented: string) =>
      app.request(`${API}/agents/heartbeat`, asAgent(presented, heartbeatBody, { 'CF-Connecting-IP': address }));
    for (let i = 0; i < 3; i++) expect((await from('192.0.2.7', `dda_${String(i).repeat(43)}`)).status).toBe(401);
    const limited = await from('192.0.2.7', token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await jsonOf(limited)).toMatchObject({ kind: 'Status', code: 429 });
    expect((await from('192.0.2.8', token)).status).toBe(200);
  });
});
