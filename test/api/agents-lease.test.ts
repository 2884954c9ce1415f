import { describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers/app.ts';
import { agentApp, API, asAgent, callRow, HASH, lease, newAgent, NOW, queueCall } from './agents-fixtures.ts';

describe('leasing driver calls', () => {
  it("leases only its own site's calls, oldest first, in the protocol's Call form", async () => {
    const { app, db } = await agentApp();
    const east = await newAgent(app, 'east-lab');
    const west = await newAgent(app, 'west-lab');
    const first = await queueCall(db, 'east-lab', { request: { design: { content_hash: HASH }, memo: { phase: 'on' } } });
    const second = await queueCall(db, 'east-lab', { nodeName: '', action: 'validate_node_services', driver: 'oob:ipmi' });
    const westCall = await queueCall(db, 'west-lab');
    const calls = await lease(app, east.token, { max: 10 });
    expect(calls.map((c) => c.call_id)).toEqual([first, second]);
    expect(calls[0]).toEqual({
      call_id: first,
      lease_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      lease_expires: new Date(NOW.getTime() + 60_000).toISOString(),
      task_id: 'task-1',
      node: 'cmp01',
      action: 'identify_node',
      driver: 'node',
      design: { content_hash: HASH },
      memo: { phase: 'on' },
      attempt: 1,
    });
    expect(calls[1]).toMatchObject({ node: null, driver: 'oob:ipmi', memo: null });
    expect(await callRow(db, first)).toMatchObject({ state: 'leased', leaseId: calls[0]!.lease_id, leaseAgent: east.id, attempts: 1 });
    // Leased calls are not leased again, and the other site's call stays queued for its own agent.
    expect(await lease(app, east.token)).toEqual([]);
    expect((await callRow(db, westCall)).state).toBe('queued');
    expect((await lease(app, west.token)).map((c) => c.call_id)).toEqual([westCall]);
  });

  it('takes at most `max` calls', async () => {
    const { app, db } = await agentApp();
    const { token } = await newAgent(app, 's');
    for (let i = 0; i < 4; i++) await queueCall(db, 's');
    expect(await lease(app, token)).toHaveLength(1);
    expect(await lease(app, token, { max: 2 })).toHaveLength(2);
  });

  it('gives one call to exactly one of two agents racing for it', async () => {
    const { app, db } = await agentApp();
    const a = await newAgent(app, 's', 'a');
    const b = await newAgent(app, 's', 'b');
    for (let round = 0; round < 5; round++) {
      const callId = await queueCall(db, 's');
      const [x, y] = await Promise.all([lease(app, a.token), lease(app, b.token)]);
      const winners = [...x, ...y];
      expect(winners.map((c) => c.call_id)).toEqual([callId]);
      expect((await callRow(db, callId)).leaseId).toBe(winners[0]!.lease_id);
    }
  });

  it('leases an expired call again to another agent, attempt 2; the late result is 409 and the new lease wins', async () => {
    const { app, db, advance } = await agentApp();
    const a = await newAgent(app, 's', 'a');
    const b = await newAgent(app, 's', 'b');
    const callId = await queueCall(db, 's');
    const [first] = await lease(app, a.token);
    advance(59);
    expect(await lease(app, b.token)).toEqual([]);
    advance(1);
    const [second] = await lease(app, b.token);
    expect(second).toMatchObject({ call_id: callId, attempt: 2 });
    expect(second!.lease_id).not.toBe(first!.lease_id);
    const result = (lease_id: string, progress: unknown) => ({ lease_id, progress });
    const late = await app.request(`${API}/agents/calls/${callId}/result`, asAgent(a.token, result(first!.lease_id, { state: 'failed', reason: 'late' })));
    expect(late.status).toBe(409);
    expect(await jsonOf(late)).toMatchObject({ kind: 'Status', code: 409, message: `lease ${first!.lease_id} is no longer held` });
    const renewLate = await app.request(`${API}/agents/calls/${callId}/renew`, asAgent(a.token, { lease_id: first!.lease_id }));
    expect(renewLate.status).toBe(409);
    const ok = await app.request(`${API}/agents/calls/${callId}/result`, asAgent(b.token, result(second!.lease_id, { state: 'done', detail: 'identified' })));
    expect(ok.status).toBe(200);
    expect(await callRow(db, callId)).toMatchObject({ state: 'done', result: { state: 'done', detail: 'identified' }, leaseId: second!.lease_id });
    // The late lease stays refused after the call is done.
    expect((await app.request(`${API}/agents/calls/${callId}/result`, asAgent(a.token, result(first!.lease_id, { state: 'done' })))).status).toBe(409);
    expect((await callRow(db, callId)).result).toEqual({ state: 'done', detail: 'identified' });
  });

  it('renews a live lease by AGENT_LEASE_SECONDS from now, so it does not expire', async () => {
    const { app, db, advance } = await agentApp({ AGENT_LEASE_SECONDS: '30' });
    const a = await newAgent(app, 's', 'a');
    const b = await newAgent(app, 's', 'b');
    const callId = await queueCall(db, 's');
    const [call] = await lease(app, a.token);
    advance(20);
    const res = await app.request(`${API}/agents/calls/${callId}/renew`, asAgent(a.token, { lease_id: call!.lease_id }));
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ lease_expires: new Date(NOW.getTime() + 50_000).toISOString() });
    advance(20);
    expect(await lease(app, b.token)).toEqual([]);
    expect((await callRow(db, callId)).leaseId).toBe(call!.lease_id);
  });

  it('waits for a call inserted during the long poll, and answers empty after the wait', async () => {
    const { app, db } = await agentApp();
    const { token } = await newAgent(app, 's');
    const started = Date.now();
    const empty = await app.request(`${API}/agents/lease`, asAgent(token, { wait_seconds: 1 }));
    expect(await jsonOf(empty)).toEqual({ calls: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const polling = app.request(`${API}/agents/lease`, asAgent(token, { wait_seconds: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 700));
    const callId = await queueCall(db, 's');
    const t0 = Date.now();
    const res = await polling;
    expect((await jsonOf(res)).calls.map((c: { call_id: string }) => c.call_id)).toEqual([callId]);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('sets last_seen on a lease', async () => {
    const { app, advance } = await agentApp();
    const { token } = await newAgent(app, 's');
    advance(3);
    await lease(app, token);
    const list = await jsonOf(await app.request(`${API}/agents`, { headers: { 'X-Auth-Token': 'admin-token-for-design-tests' } }));
    expect(list[0]).toMatchObject({ last_seen: new Date(NOW.getTime() + 3000).toISOString(), live: true });
  });

  it("hands a deploying node's boot action context to its site's agent, opened from the sealed row", async () => {
    const { app, db, services } = await agentApp();
    const east = await newAgent(app, 'east-lab');
    const payload = { nodeKey: 'cd'.repeat(32), actions: [{ name: 'hello', actionId: '01ABC', signaling: true }], packages: { curl: null } };
    const sealedContext = await services.siteDesign.box.seal(JSON.stringify(payload));
    const id = await queueCall(db, 'east-lab', { action: 'deliver_boot_action_context', request: { design: { content_hash: HASH }, memo: null, sealedContext } });
    expect(JSON.stringify(await callRow(db, id))).not.toContain('cd'.repeat(32));
    const [call] = await lease(app, east.token);
    expect(call).toMatchObject({
      action: 'deliver_boot_action_context',
      boot_action_context: { node_key: 'cd'.repeat(32), actions: [{ name: 'hello', action_id: '01ABC', signaling: true }], packages: { curl: null } },
    });
  });
});
