/** Site agent API tests: an app in token mode with a clock the test moves, agents, and driver_calls rows written directly. */
import { eq } from 'drizzle-orm';
import { driverCalls } from '../../src/db/schema/agents.ts';
import type { Db } from '../../src/db/types.ts';
import { jsonOf, type TestAppOptions } from '../helpers/app.ts';
import { ADMIN, NOW, taskApp } from './tasks-fixtures.ts';

export { ADMIN, NOW };
export const API = '/api/v1.0';

/** A clock the test sets; starts at NOW. */
export function testClock() {
  let now = NOW.getTime();
  return {
    clock: () => new Date(now),
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
  };
}

export async function agentApp(env: Record<string, string> = {}, options: Pick<TestAppOptions, 'callWakeups'> = {}) {
  const time = testClock();
  const built = await taskApp({ env, clock: time.clock, ...options });
  return { ...built, ...time };
}

type App = Awaited<ReturnType<typeof agentApp>>['app'];

export const adminJson = (body: unknown): RequestInit => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json', 'X-Auth-Token': ADMIN },
});

/** Creates an agent as the admin; answers its id and token. */
export async function newAgent(app: App, site: string, name = `agent-${site}`): Promise<{ id: string; token: string }> {
  const res = await app.request(`${API}/agents`, adminJson({ name, site }));
  if (res.status !== 201) throw new Error(`agent not created: ${res.status} ${await res.text()}`);
  const body = await jsonOf(res);
  return { id: body.agent_id, token: body.token };
}

/** A request of an agent: POST with a JSON body (or raw text), or GET without one. */
export function asAgent(token: string | null, body?: unknown, extra: Record<string, string> = {}): RequestInit {
  const headers: Record<string, string> = { ...extra };
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  if (body === undefined) return { method: 'GET', headers };
  headers['Content-Type'] = 'application/json';
  return { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

export const HASH = 'ab'.repeat(32);
let seq = 0;

/** Inserts a queued driver call for `site`; answers its id. */
export async function queueCall(
  db: Db,
  site: string,
  over: Partial<typeof driverCalls.$inferInsert> & { contentHash?: string } = {},
): Promise<string> {
  const { contentHash = HASH, ...row } = over;
  const callId = row.callId ?? `call-${++seq}`;
  await db.insert(driverCalls).values({
    site,
    taskId: 'task-1',
    nodeName: 'cmp01',
    action: 'identify_node',
    driver: 'node',
    seq,
    request: { design: { content_hash: contentHash }, memo: null },
    state: 'queued',
    created: new Date(NOW.getTime() + seq),
    ...row,
    callId,
  });
  return callId;
}

export async function callRow(db: Db, callId: string) {
  const [row] = await db.select().from(driverCalls).where(eq(driverCalls.callId, callId));
  return row!;
}

/** Leases without waiting; answers the calls. */
export async function lease(app: App, token: string, body: Record<string, unknown> = {}) {
  const res = await app.request(`${API}/agents/lease`, asAgent(token, { wait_seconds: 0, ...body }));
  if (res.status !== 200) throw new Error(`lease refused: ${res.status} ${await res.text()}`);
  return (await jsonOf(res)).calls as Array<{ call_id: string; lease_id: string; lease_expires: string; attempt: number; [k: string]: unknown }>;
}
