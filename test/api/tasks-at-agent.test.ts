import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orchestratorFor } from '../../src/compose.ts';
import { driverCalls } from '../../src/db/schema/agents.ts';
import { tasks } from '../../src/db/schema/tasks.ts';
import { LIVE_STATUSES } from '../../src/orchestrator/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { API, asAgent, lease, newAgent } from './agents-fixtures.ts';
import { postYaml } from './design-fixtures.ts';
import { auth, postTask, taskApp } from './tasks-fixtures.ts';

// With DRIVER_LOCATION=agent a task's driver steps wait on driver_calls rows
// for the design's site; here the test plays the agent API by writing each
// call's result, and the task says once that the site has no agent.

const SITE = fileURLToPath(new URL('../fixtures/designs/site.yaml', import.meta.url));

type Built = Awaited<ReturnType<typeof taskApp>>;
type LeasedCall = Awaited<ReturnType<typeof lease>>[number];
/** What the test's agent posts for a call: its progress, and build data or why there is none. */
type Answer = { progress: Record<string, unknown>; build_data?: unknown[]; build_data_error?: string };

const AT_AGENT = { DRIVER_LOCATION: 'agent', NODE_DRIVER: 'maas', OOB_DRIVER: 'ipmi', TASK_POLL_INTERVAL_SECONDS: '1', AGENT_LEASE_SECONDS: '600' };

/** An edge at DRIVER_LOCATION=agent with the example site's design stored, a task of `action` on it, and its orchestrator. */
async function taskAtAgent(action: string, env: Record<string, string> = AT_AGENT) {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const built = await taskApp({ env, clock: () => new Date(now) });
  const stored = await built.app.request('/api/v1.0/designs', postYaml(await readFile(SITE, 'utf8')));
  const created = await built.app.request('/api/v1.0/tasks', postTask({ action, design_ref: (await jsonOf(stored)).href }));
  const id = (await jsonOf(created)).task_id as string;
  const orchestrator = orchestratorFor(built.services, 'test');
  const settle = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      now += 1_000;
      const live = await built.db.select({ id: tasks.taskId }).from(tasks).where(inArray(tasks.status, [...LIVE_STATUSES]));
      for (const t of live) await orchestrator.advance(t.id);
    }
  };
  return { built, id, settle };
}

/** Posts a leased call's result through the agent API. */
async function post(built: Built, token: string, call: LeasedCall, answer: Answer): Promise<void> {
  const res = await built.app.request(`${API}/agents/calls/${call.call_id}/result`, asAgent(token, { lease_id: call.lease_id, ...answer }));
  if (res.status !== 200) throw new Error(`result refused: ${res.status} ${await res.text()}`);
}

/** The site's agent through the agent API: leases every queued call and posts `answer`'s result for it (none for null: the call runs on). */
async function agentRound(built: Built, token: string, answer: (call: LeasedCall) => Answer | null): Promise<void> {
  for (const call of await lease(built.app, token, { max: 10 })) {
    const result = answer(call);
    if (result) await post(built, token, call, result);
  }
}

/** A top-level task run to its end: the orchestrator steps, the agent answers. */
async function untilComplete(built: Built, id: string, settle: (rounds: number) => Promise<void>, token: string, answer: (call: LeasedCall) => Answer | null) {
  for (let round = 0; round < 60; round++) {
    await settle(2);
    await agentRound(built, token, answer);
    const [row] = await built.db.select({ status: tasks.status }).from(tasks).where(eq(tasks.taskId, id));
    if (row?.status === 'complete') return;
  }
  throw new Error(`task ${id} did not complete`);
}

const subtaskOf = async (built: Built, parent: string, action: string) =>
  (await built.db.select().from(tasks).where(and(eq(tasks.parentTaskId, parent), eq(tasks.action, action))))[0]!;

describe('a task whose driver calls run at the site agent', () => {
  it('waits for the site\'s agent, says so once, and completes with the results the agent posted', async () => {
    const { built, id, settle } = await taskAtAgent('prepare_site', { DRIVER_LOCATION: 'agent', NODE_DRIVER: 'maas', TASK_POLL_INTERVAL_SECONDS: '1' });
    await settle(5);
    const calls = await built.db.select().from(driverCalls);
    expect(calls.map((c) => [c.site, c.action, c.driver, c.state])).toEqual([['east-lab', 'create_network_template', 'node', 'queued']]);
    const view = await (await built.app.request(`/api/v1.0/tasks/${id}?subtaskerrors=true&layers=-1`, auth())).text();
    const waits = view.match(/waiting for an agent of site east-lab since [^"]*; no agent of it was ever seen/g) ?? [];
    expect(waits).toHaveLength(1);

    // The agent posts each site step's result as it is queued.
    for (const action of ['create_network_template', 'configure_user_credentials', 'configure_node_provisioner']) {
      const where = and(eq(driverCalls.action, action), eq(driverCalls.state, 'queued'));
      await built.db.update(driverCalls).set({ state: 'done', result: { state: 'done', detail: `${action} at the site` } }).where(where);
      await settle(4);
    }
    const task = await jsonOf(await built.app.request(`/api/v1.0/tasks/${id}`, auth()));
    expect([task.status, task.result.status]).toEqual(['complete', 'success']);
    const done = await (await built.app.request(`/api/v1.0/tasks/${id}?subtaskerrors=true&layers=-1`, auth())).text();
    expect(done).toContain('create_network_template succeeded: create_network_template at the site');
  });

  it('reports the build data an agent posted with interrogate_node as an in-process step does: message, detail_logs link, each record once', async () => {
    const { built, id, settle } = await taskAtAgent('prepare_nodes');
    const { token } = await newAgent(built.app, 'east-lab');
    const record = (generator: string) => ({ generator, data_format: 'text/plain', data_element: `${generator} output`, collected_date: '2030-01-01T00:00:00Z' });
    await untilComplete(built, id, settle, token, (call) => {
      if (call.action !== 'interrogate_node') return { progress: { state: 'done' } };
      if (call.node === 'east-cmp01') return { progress: { state: 'done' }, build_data: [record('lshw'), record('lldp')] };
      if (call.node === 'east-cmp02') return { progress: { state: 'done' }, build_data_error: 'Error: MAAS answered HTTP 500' };
      return { progress: { state: 'done' } };
    });
    const task = await jsonOf(await built.app.request(`/api/v1.0/tasks/${id}`, auth()));
    expect([task.status, task.result.status]).toEqual(['complete', 'success']);

    const sub = await subtaskOf(built, id, 'interrogate_node');
    const view = await jsonOf(await built.app.request(`/api/v1.0/tasks/${sub.taskId}`, auth()));
    const said = (view.result.details.messageList as Array<{ message: string }>).map((m) => m.message).filter((m) => /build data/i.test(m));
    // The words of src/orchestrator/step-build-data.ts, as the step says them when it collects in-process.
    expect(said.sort()).toEqual([
      'Build data of east-cmp02 could not be collected: Error: MAAS answered HTTP 500',
      'Collected 0 build data element(s) for east-ctl01',
      'Collected 2 build data element(s) for east-cmp01',
    ]);
    expect(view.result.links).toEqual([{ rel: 'detail_logs', href: expect.stringMatching(new RegExp(`/api/v1.0/tasks/${sub.taskId}/builddata$`)) }]);
    const records = await jsonOf(await built.app.request(view.result.links[0].href, auth()));
    expect(records.map((r: { node_name: string; generator: string }) => [r.node_name, r.generator]).sort()).toEqual([['east-cmp01', 'lldp'], ['east-cmp01', 'lshw']]);
  });

  it('retries a deploy whose key did not reach the site: the retry delivers the same key again and deploys only once it is there', async () => {
    const { built, id, settle } = await taskAtAgent('deploy_nodes');
    const { token } = await newAgent(built.app, 'east-lab');
    const deliveries: LeasedCall[] = [];
    const answer = (call: LeasedCall): Answer | null => {
      if (call.node !== 'east-ctl01' || call.action !== 'deliver_boot_action_context') return { progress: { state: 'done' } };
      deliveries.push(call);
      // The first fails at the site; the retry's is held (still running) until the test posts it.
      return deliveries.length === 1 ? { progress: { state: 'failed', reason: 'MAAS POST tags/ answered HTTP 500' } } : null;
    };
    const ctl01 = async (action: string) =>
      built.db.select().from(driverCalls).where(and(eq(driverCalls.nodeName, 'east-ctl01'), eq(driverCalls.action, action))).orderBy(driverCalls.seq);
    for (let round = 0; round < 60 && deliveries.length < 2; round++) {
      await settle(2);
      await agentRound(built, token, answer);
    }
    expect(deliveries).toHaveLength(2);
    await settle(6);
    expect(await ctl01('deploy_node')).toEqual([]);
    await post(built, token, deliveries[1]!, { progress: { state: 'done' } });
    await settle(3);
    await agentRound(built, token, answer);
    const [, again] = await ctl01('deliver_boot_action_context');
    const [deploy] = await ctl01('deploy_node');
    expect(deploy!.created.getTime()).toBeGreaterThanOrEqual(again!.finished!.getTime());

    // The same context both times (a retry makes no new one): its key is the node's, and the node reports with it.
    const [first, second] = deliveries.map((c) => c.boot_action_context as { node_key: string; actions: Array<{ name: string; action_id: string }> });
    expect(second).toEqual(first);
    const res = await built.app.request(`${API}/bootactions/${second!.actions[0]!.action_id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Bootaction-Key': second!.node_key },
      body: JSON.stringify({ status: 'success', details: [{ message: 'hello.sh ran', error: false }] }),
    });
    expect(res.status).toBe(200);
    await untilComplete(built, id, settle, token, answer);
    const task = await jsonOf(await built.app.request(`/api/v1.0/tasks/${id}`, auth()));
    expect([task.result.status, [...task.result.successes].sort()]).toEqual(['success', ['east-cmp01', 'east-cmp02', 'east-ctl01']]);
    const view = await (await built.app.request(`/api/v1.0/tasks/${id}?subtaskerrors=true&layers=-1`, auth())).text();
    expect(view).toContain('deploy_node failed on east-ctl01: the boot action key did not reach the site: MAAS POST tags/ answered HTTP 500');
    expect(view).toContain('Retrying task for failed entities.');
    expect(view).toContain('Boot action hello-control completed with status success');
  });
});
