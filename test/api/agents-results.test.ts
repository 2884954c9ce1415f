import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { agents, driverCalls } from '../../src/db/schema/agents.ts';
import { buildData } from '../../src/db/schema/builddata.ts';
import { jsonOf } from '../helpers/app.ts';
import { agentApp, API, asAgent, callRow, lease, newAgent, queueCall } from './agents-fixtures.ts';

const LSHW = { generator: 'lshw', data_format: 'application/json', data_element: '{"id":"cmp01"}', collected_date: '2030-06-15T11:59:00.000Z' };

async function leasedCall(options: { site?: string; node?: string; action?: string } = {}) {
  const built = await agentApp();
  const agent = await newAgent(built.app, 's');
  const callId = await queueCall(built.db, 's', {
    ...(options.node === undefined ? {} : { nodeName: options.node }),
    ...(options.action === undefined ? {} : { action: options.action }),
  });
  const [call] = await lease(built.app, agent.token);
  const post = (body: unknown, token = agent.token) => built.app.request(`${API}/agents/calls/${callId}/result`, asAgent(token, body));
  return { ...built, agent, callId, leaseId: call!.lease_id, post };
}

describe('posting a call result', () => {
  it('stores the Progress the orchestrator takes, with its build data, once; a repeat changes nothing', async () => {
    const { db, callId, leaseId, post } = await leasedCall();
    const body = { lease_id: leaseId, progress: { state: 'pending', retry_after_ms: 5000, memo: { polls: 2, phase: 'on' }, detail: 'waiting' }, build_data: [LSHW] };
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ accepted: true });
    const row = await callRow(db, callId);
    expect(row).toMatchObject({ state: 'done', finished: expect.any(Date), taken: null });
    expect(row.result).toEqual({ state: 'pending', retryAfterMs: 5000, memo: { polls: 2, phase: 'on' }, detail: 'waiting' });
    const stored = await db.select().from(buildData);
    expect(stored).toEqual([
      { id: expect.any(Number), nodeName: 'cmp01', taskId: 'task-1', generator: 'lshw', dataFormat: 'application/json', dataElement: '{"id":"cmp01"}', collectedDate: new Date(LSHW.collected_date) },
    ]);
    // The same lease again, even with another progress: 200, nothing changes.
    const again = await post({ ...body, progress: { state: 'failed', reason: 'second thoughts' } });
    expect(again.status).toBe(200);
    expect(await jsonOf(again)).toEqual({ accepted: true });
    expect((await callRow(db, callId)).result).toEqual(row.result);
    expect(await db.select().from(buildData)).toHaveLength(1);
  });

  it('keeps with a node\'s done interrogate_node what was saved with it, or why the agent had nothing, for the task to report', async () => {
    const saved = await leasedCall({ action: 'interrogate_node' });
    expect((await saved.post({ lease_id: saved.leaseId, progress: { state: 'done' }, build_data: [LSHW, LSHW] })).status).toBe(200);
    expect((await callRow(saved.db, saved.callId)).result).toEqual({ state: 'done', buildData: { saved: 2 } });
    const failed = await leasedCall({ action: 'interrogate_node' });
    expect((await failed.post({ lease_id: failed.leaseId, progress: { state: 'done', detail: 'Ready' }, build_data_error: 'Error: HTTP 500' })).status).toBe(200);
    expect((await callRow(failed.db, failed.callId)).result).toEqual({ state: 'done', detail: 'Ready', buildData: { error: 'Error: HTTP 500' } });
    // Not a build data stage: the progress as posted.
    const other = await leasedCall({ action: 'identify_node' });
    expect((await other.post({ lease_id: other.leaseId, progress: { state: 'done' }, build_data_error: 'Error: HTTP 500' })).status).toBe(200);
    expect((await callRow(other.db, other.callId)).result).toEqual({ state: 'done' });
  });

  it('writes no build data for a result whose lease ran out (409), nor twice for a post sent twice at once', async () => {
    const expired = await leasedCall();
    expired.advance(60);
    const late = await expired.post({ lease_id: expired.leaseId, progress: { state: 'done' }, build_data: [LSHW] });
    expect(late.status).toBe(409);
    expect(await expired.db.select().from(buildData)).toEqual([]);
    expect((await callRow(expired.db, expired.callId)).state).toBe('leased');

    const twice = await leasedCall();
    const body = { lease_id: twice.leaseId, progress: { state: 'done' }, build_data: [LSHW, { ...LSHW, generator: 'lldp' }] };
    const answers = await Promise.all([twice.post(body), twice.post(body)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(await twice.db.select().from(buildData)).toHaveLength(2);
  });

  it('answers 404 for a call of another site and for an unknown call', async () => {
    const { app, db, leaseId } = await leasedCall();
    const other = await newAgent(app, 'elsewhere');
    const foreign = await queueCall(db, 'elsewhere');
    const mine = await newAgent(app, 's', 'second');
    for (const id of [foreign, 'no-such-call']) {
      const res = await app.request(`${API}/agents/calls/${id}/result`, asAgent(mine.token, { lease_id: leaseId, progress: { state: 'done' } }));
      expect(res.status).toBe(404);
    }
    expect((await callRow(db, foreign)).state).toBe('queued');
    expect(other.token).toBeTruthy();
  });

  it("refuses another agent's post under a lease it does not hold", async () => {
    const { app, db, callId, leaseId, post } = await leasedCall();
    const intruder = await newAgent(app, 's', 'intruder');
    expect((await post({ lease_id: leaseId, progress: { state: 'done' } }, intruder.token)).status).toBe(409);
    expect((await callRow(db, callId)).state).toBe('leased');
  });

  it('refuses build data for a site-wide call, writing nothing', async () => {
    const { db, callId, leaseId, post } = await leasedCall({ node: '' });
    const res = await post({ lease_id: leaseId, progress: { state: 'done' }, build_data: [LSHW] });
    expect(res.status).toBe(400);
    expect((await callRow(db, callId)).state).toBe('leased');
    expect(await db.select().from(buildData)).toEqual([]);
  });
});

describe('bad input on the agent endpoints', () => {
  const badProgress = [
    undefined,
    null,
    'done',
    { state: 'finished' },
    { state: 'failed' },
    { state: 'failed', reason: '' },
    { state: 'done', detail: 5 },
    { state: 'done', extra: true },
    { state: 'pending', retry_after_ms: -1 },
    { state: 'pending', retry_after_ms: 1.5 },
    { state: 'pending', memo: { nested: { no: 1 } } },
    { state: 'pending', memo: [1] },
  ];

  it('answers 400 in the error envelope for every bad result, and writes nothing', async () => {
    const { db, callId, leaseId, post } = await leasedCall();
    const before = await callRow(db, callId);
    const [agentBefore] = await db.select().from(agents);
    const bodies: unknown[] = [
      ...badProgress.map((progress) => ({ lease_id: leaseId, progress })),
      { progress: { state: 'done' } },
      { lease_id: 7, progress: { state: 'done' } },
      { lease_id: leaseId, progress: { state: 'done' }, build_data: [{ ...LSHW, collected_date: 'yesterday' }] },
      { lease_id: leaseId, progress: { state: 'done' }, build_data: [{ generator: 'lshw' }] },
      { lease_id: leaseId, progress: { state: 'done' }, build_data: 'lshw' },
      { lease_id: leaseId, progress: { state: 'done' }, build_data_error: 500 },
      { lease_id: leaseId, progress: { state: 'done' }, build_data_error: 'x'.repeat(4097) },
      [],
      '{"lease_id": ',
    ];
    for (const body of bodies) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await jsonOf(res)).toMatchObject({ kind: 'Status', status: 'Failure', code: 400 });
    }
    const progressRes = await post({ lease_id: leaseId, progress: { state: 'finished' } });
    expect((await jsonOf(progressRes)).message).toMatch(/^progress must be/);
    expect(await callRow(db, callId)).toEqual(before);
    expect(await db.select().from(buildData)).toEqual([]);
    expect((await db.select().from(agents))[0]).toEqual(agentBefore);
  });

  it('answers 400 on heartbeat, lease, renew and designs for bad input, and writes nothing', async () => {
    const { app, db, agent, callId, leaseId } = await leasedCall();
    const [agentBefore] = await db.select().from(agents);
    const callBefore = await callRow(db, callId);
    const cases: Array<[string, unknown]> = [
      ['heartbeat', { version: 1 }],
      ['heartbeat', { drivers: 'node:maas' }],
      ['heartbeat', { tools: { ipmitool: 'yes' } }],
      ['heartbeat', { tools: [true] }],
      ['heartbeat', ['x']],
      ['lease', { wait_seconds: 26 }],
      ['lease', { wait_seconds: -1 }],
      ['lease', { max: 0 }],
      ['lease', { max: 11 }],
      ['lease', { max: '2' }],
      [`calls/${callId}/renew`, {}],
      [`calls/${callId}/renew`, { lease_id: 'x' }],
    ];
    for (const [path, body] of cases) {
      const res = await app.request(`${API}/agents/${path}`, asAgent(agent.token, body));
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 400 });
    }
    const design = await app.request(`${API}/agents/designs/not-a-hash`, asAgent(agent.token));
    expect(design.status).toBe(400);
    expect(await jsonOf(design)).toMatchObject({ kind: 'Status', code: 400 });
    expect((await db.select().from(agents))[0]).toEqual(agentBefore);
    expect(await callRow(db, callId)).toEqual(callBefore);
    expect(leaseId).toBe(callBefore.leaseId);
    expect((await db.select().from(driverCalls).where(eq(driverCalls.state, 'leased'))).length).toBe(1);
  });
});
