import { describe, expect, it } from 'vitest';
import { inProcessWakeups } from '../../src/drivers/remote/call-wakeups.ts';
import { jsonOf } from '../helpers/app.ts';
import { adminJson, agentApp, API, asAgent, callRow, lease, newAgent, queueCall } from './agents-fixtures.ts';

// The edge on Node/Deno wakes a waiting lease when it queues a call of the
// lease's site (src/drivers/remote/call-wakeups.ts). Here the database is
// looked at only once an hour and the lease waits its longest (25 s, after
// which it would look once more): a call it answers with before then came
// through the wake-up. Woken, it answers in milliseconds; 10 s only turns a
// missed wake-up into a clear failure instead of the test's timeout.
const HOUR_MS = 3_600_000;
const LONGEST = { wait_seconds: 25 };

async function woken(polling: Response | Promise<Response>): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const missed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the waiting lease was not woken by the queued call')), 10_000);
  });
  try {
    return await Promise.race([polling, missed]);
  } finally {
    clearTimeout(timer);
  }
}

async function wakingApp() {
  const wakeups = inProcessWakeups(HOUR_MS);
  return { ...(await agentApp({}, { callWakeups: wakeups })), wakeups };
}

/** Resolves once `n` lease requests of `site` wait (their first look found nothing). */
async function waiting(wakeups: ReturnType<typeof inProcessWakeups>, site: string, n = 1) {
  while (wakeups.watching(site) < n) await new Promise((resolve) => setTimeout(resolve, 5));
}

const calledIds = async (res: Response) => ((await jsonOf(res)).calls as Array<{ call_id: string }>).map((c) => c.call_id);

describe('waking a waiting lease', () => {
  it('answers a waiting lease with a call of its site as soon as it is queued, and then holds no watch', async () => {
    const { app, db, wakeups } = await wakingApp();
    const { token } = await newAgent(app, 's');
    const polling = app.request(`${API}/agents/lease`, asAgent(token, LONGEST));
    await waiting(wakeups, 's');
    const callId = await queueCall(db, 's');
    wakeups.queued('s');
    expect(await calledIds(await woken(polling))).toEqual([callId]);
    expect(wakeups.watching()).toBe(0);
  });

  it("is not woken by another site's call", async () => {
    const { app, db, wakeups } = await wakingApp();
    const { token } = await newAgent(app, 's');
    const polling = app.request(`${API}/agents/lease`, asAgent(token, { wait_seconds: 1 }));
    await waiting(wakeups, 's');
    await queueCall(db, 'other');
    wakeups.queued('other');
    expect(await calledIds(await polling)).toEqual([]);
    expect(wakeups.watching()).toBe(0);
  });

  it('wakes the waiting leases of a revoked agent\'s site with the calls it held', async () => {
    const { app, db, wakeups } = await wakingApp();
    const gone = await newAgent(app, 's', 'gone');
    const other = await newAgent(app, 's', 'other');
    const callId = await queueCall(db, 's');
    await lease(app, gone.token);
    const polling = app.request(`${API}/agents/lease`, asAgent(other.token, LONGEST));
    await waiting(wakeups, 's');
    const revoked = await app.request(`${API}/agents/${gone.id}`, { ...adminJson({}), method: 'DELETE', body: null });
    expect(revoked.status).toBe(204);
    expect(await calledIds(await woken(polling))).toEqual([callId]);
  });

  it("never leases to a revoked agent's lease that was already waiting, not even the calls its revocation queued again", async () => {
    const { app, db, wakeups } = await wakingApp();
    const gone = await newAgent(app, 's', 'gone');
    const callId = await queueCall(db, 's');
    await lease(app, gone.token);
    // The revoked agent runs several calls at once: one of its lease requests waits, authenticated before the revocation.
    const stale = app.request(`${API}/agents/lease`, asAgent(gone.token, { wait_seconds: 1 }));
    await waiting(wakeups, 's');
    const revoked = await app.request(`${API}/agents/${gone.id}`, { ...adminJson({}), method: 'DELETE', body: null });
    expect(revoked.status).toBe(204);
    expect(await calledIds(await stale)).toEqual([]);
    expect(await callRow(db, callId)).toMatchObject({ state: 'queued', leaseAgent: null });
  });

  it('releases its watch when the wait runs out and when the client goes away, leasing nothing for a gone client', async () => {
    const { app, db, wakeups } = await wakingApp();
    const { token } = await newAgent(app, 's');
    expect(await calledIds(await app.request(`${API}/agents/lease`, asAgent(token, { wait_seconds: 1 })))).toEqual([]);
    expect(wakeups.watching()).toBe(0);
    const clients = [new AbortController(), new AbortController()];
    const requests = clients.map((client) =>
      app.request(`${API}/agents/lease`, { ...asAgent(token, LONGEST), signal: client.signal }),
    );
    await waiting(wakeups, 's', 2);
    const callId = await queueCall(db, 's');
    for (const client of clients) client.abort();
    const answers = await Promise.all(requests);
    for (const res of answers) expect(await calledIds(res)).toEqual([]);
    expect(wakeups.watching()).toBe(0);
    // The call is still there for a client that is.
    expect((await lease(app, token)).map((c) => c.call_id)).toEqual([callId]);
  });
});
