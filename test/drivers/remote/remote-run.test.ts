import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.ts';
import { createLogger } from '../../../src/core/log.ts';
import { createSecretBox } from '../../../src/core/secret-box.ts';
import type { Database } from '../../../src/db/types.ts';
import { agents, driverCalls } from '../../../src/db/schema/agents.ts';
import { createDrivers } from '../../../src/drivers/index.ts';
import { pollingOnly, type CallWakeups } from '../../../src/drivers/remote/call-wakeups.ts';
import type { DriverContext } from '../../../src/drivers/types.ts';
import { memoryDatabase } from '../../helpers/app.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

// DRIVER_LOCATION=agent: the orchestrator's driver calls become driver_calls
// rows for the site's agent (docs/site-agent.md); these tests play the agent
// by writing its results into the table, as the agent API does.

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

const node = makeNode('east-cmp01');

async function edge(env: Record<string, string> = {}) {
  database = await memoryDatabase();
  let now = Date.parse('2030-01-01T00:00:00Z');
  const config = loadConfig({ DRIVER_LOCATION: 'agent', NODE_DRIVER: 'maas', AGENT_WAIT_TIMEOUT_SECONDS: '600', ...env });
  const site = siteOf({ nodes: [node] });
  site.region = { ...(site.region ?? ({} as NonNullable<typeof site.region>)), name: 'east-lab' };
  const ctx: DriverContext = {
    db: database.db,
    config,
    clock: () => new Date(now),
    fetch,
    logger: createLogger({ level: 'error', sink: () => {} }),
    site,
    taskId: 'task-1',
    designRef: 'design://x',
    designHash: 'ab'.repeat(32),
  };
  const box = createSecretBox(crypto.getRandomValues(new Uint8Array(32)));
  /** The sites whose waiting leases were told of a queued call, in order. */
  const told: string[] = [];
  const callWakeups: CallWakeups = { ...pollingOnly(), queued: (s) => void told.push(s) };
  const drivers = createDrivers(config, { box, callWakeups });
  const rows = () => database!.db.select().from(driverCalls).orderBy(driverCalls.seq);
  /** What the agent API does when an agent posts a result. */
  const agentAnswers = async (result: unknown, action?: string) => {
    const [row] = (await rows()).filter((r) => r.state !== 'done' && (!action || r.action === action));
    await database!.db.update(driverCalls).set({ state: 'done', result, finished: new Date(now) }).where(eq(driverCalls.callId, row!.callId));
  };
  return { ctx, drivers, rows, agentAnswers, box, told, tick: (ms: number) => (now += ms) };
}

describe('driver calls run by the site agent', () => {
  it('queues the call for the design\'s site with the pinned design, and waits, saying no agent was ever seen', async () => {
    const { ctx, drivers, rows } = await edge();
    const answer = await drivers.node.run(ctx, 'identify_node', node);
    expect(answer).toMatchObject({ state: 'pending', detail: expect.stringMatching(/^waiting for an agent of site east-lab since .*; no agent of it was ever seen$/) });
    expect(await rows()).toEqual([expect.objectContaining({
      site: 'east-lab', taskId: 'task-1', nodeName: 'east-cmp01', action: 'identify_node', driver: 'node', seq: 1, state: 'queued',
      request: { design: { content_hash: 'ab'.repeat(32) }, memo: null },
    })]);
    // Asked again, the same call is still waited for: nothing new is queued.
    await drivers.node.run(ctx, 'identify_node', node);
    expect(await rows()).toHaveLength(1);
  });

  it('hands over the agent\'s answer once, and queues the next call with a pending answer\'s memo', async () => {
    const { ctx, drivers, rows, agentAnswers } = await edge();
    await drivers.node.run(ctx, 'configure_hardware', node);
    await agentAnswers({ state: 'pending', retryAfterMs: 10_000, memo: { systemId: 'abc123', since: 1 } });
    const pending = await drivers.node.run(ctx, 'configure_hardware', node);
    expect(pending).toEqual({ state: 'pending', retryAfterMs: 10_000, memo: { systemId: 'abc123', since: 1 } });
    expect((await drivers.node.run(ctx, 'configure_hardware', node, { systemId: 'abc123', since: 1 })).state).toBe('pending');
    const [first, second] = await rows();
    expect(first!.taken).not.toBeNull();
    expect(second).toMatchObject({ seq: 2, state: 'queued', request: { memo: { systemId: 'abc123', since: 1 } } });
    await agentAnswers({ state: 'done', detail: 'commissioned' });
    expect(await drivers.node.run(ctx, 'configure_hardware', node, { systemId: 'abc123', since: 1 })).toEqual({ state: 'done', detail: 'commissioned' });
  });

  it('says a leased call is running, and fails a call no agent took within AGENT_WAIT_TIMEOUT_SECONDS, naming when one was last seen', async () => {
    const { ctx, drivers, rows, tick } = await edge();
    await drivers.node.run(ctx, 'identify_node', node);
    await database!.db.insert(agents).values({ agentId: 'a1', name: 'east-1', site: 'east-lab', tokenDigest: 'x', created: new Date(0), lastSeen: new Date('2029-12-31T23:00:00Z') });
    tick(599_000);
    expect((await drivers.node.run(ctx, 'identify_node', node)).state).toBe('pending');
    tick(1_000);
    expect(await drivers.node.run(ctx, 'identify_node', node)).toEqual({
      state: 'failed',
      reason: 'no agent of site east-lab took the call within 600 s (AGENT_WAIT_TIMEOUT_SECONDS); its agents were last seen 2029-12-31T23:00:00.000Z',
    });
    const [row] = await rows();
    await database!.db.update(driverCalls).set({ state: 'leased', attempts: 1 }).where(eq(driverCalls.callId, row!.callId));
    expect(await drivers.node.run(ctx, 'identify_node', node)).toMatchObject({ state: 'pending', detail: `running at site east-lab (call ${row!.callId})` });
  });

  it("wakes the site's waiting leases for each call it queues, not while it waits for one", async () => {
    const { ctx, drivers, agentAnswers, told } = await edge();
    await drivers.node.run(ctx, 'configure_hardware', node);
    await drivers.node.run(ctx, 'configure_hardware', node);
    expect(told).toEqual(['east-lab']);
    await agentAnswers({ state: 'pending', memo: { phase: 2 } });
    await drivers.node.run(ctx, 'configure_hardware', node);
    await drivers.node.run(ctx, 'configure_hardware', node, { phase: 2 });
    expect(told).toEqual(['east-lab', 'east-lab']);
    await drivers.node.deliverBootActionContext!(ctx, node, { nodeKey: 'ef'.repeat(32), actions: [], packages: {} });
    expect(told).toHaveLength(3);
  });

  it('keeps the OOB driver\'s name for the agent', async () => {
    const { ctx, drivers, rows } = await edge({ OOB_DRIVER: 'ipmi' });
    await drivers.oob[0]!.run(ctx, 'set_node_boot', node);
    expect((await rows())[0]).toMatchObject({ driver: 'oob:ipmi', action: 'set_node_boot' });
  });

  it('runs in-process for a site AGENT_SITES leaves out, and needs no MAAS key at an edge whose calls all run at agents', async () => {
    expect(() => loadConfig({ DRIVER_LOCATION: 'agent', NODE_DRIVER: 'maas' })).not.toThrow();
    expect(() => loadConfig({ DRIVER_LOCATION: 'agent', AGENT_SITES: 'west', NODE_DRIVER: 'maas' })).toThrow(/MAAS_URL/);
    const { ctx, drivers, rows } = await edge({ AGENT_SITES: 'west-lab', NODE_DRIVER: 'fake' });
    const answer = await drivers.node.run(ctx, 'validate_node_services', null);
    expect(answer.state).toBe('done');
    expect(await rows()).toEqual([]);
  });

  it('hands a deploying node\'s key to the agent sealed, and deploys only once it is delivered', async () => {
    const { ctx, drivers, rows, agentAnswers, box } = await edge();
    const payload = { nodeKey: 'cd'.repeat(32), actions: [{ name: 'hello', actionId: '01ABC', signaling: true }], packages: {} };
    await drivers.node.deliverBootActionContext!(ctx, node, payload);
    const [delivery] = await rows();
    expect(delivery).toMatchObject({ action: 'deliver_boot_action_context', driver: 'node', state: 'queued' });
    expect(JSON.stringify(delivery)).not.toContain('cd'.repeat(32));
    const sealed = (delivery!.request as { sealedContext: string }).sealedContext;
    expect(JSON.parse(await box.open(sealed))).toEqual(payload);
    // deploy_node waits for the delivery, then queues the deploy.
    expect((await drivers.node.run(ctx, 'deploy_node', node)).state).toBe('pending');
    expect(await rows()).toHaveLength(1);
    await agentAnswers({ state: 'done' }, 'deliver_boot_action_context');
    await drivers.node.run(ctx, 'deploy_node', node);
    expect((await rows()).map((r) => r.action)).toEqual(['deliver_boot_action_context', 'deploy_node']);
  });

  it('fails deploy_node when the key could not be delivered at the site, saying why', async () => {
    const { ctx, drivers, agentAnswers } = await edge();
    await drivers.node.deliverBootActionContext!(ctx, node, { nodeKey: 'ef'.repeat(32), actions: [], packages: {} });
    await agentAnswers({ state: 'failed', reason: 'MAAS POST tags/ answered HTTP 500' }, 'deliver_boot_action_context');
    expect(await drivers.node.run(ctx, 'deploy_node', node)).toEqual({
      state: 'failed',
      reason: 'the boot action key did not reach the site: MAAS POST tags/ answered HTTP 500',
    });
  });

  it('waits for the delivery the deploy task queued (the subtask\'s parent), not only one of its own task', async () => {
    const { ctx, drivers, rows, agentAnswers } = await edge();
    const deployTask = { ...ctx, taskId: 'deploy-1' };
    const subtask = { ...ctx, taskId: 'sub-1', parentTaskId: 'deploy-1' };
    await drivers.node.deliverBootActionContext!(deployTask, node, { nodeKey: 'cd'.repeat(32), actions: [], packages: {} });
    expect((await drivers.node.run(subtask, 'deploy_node', node)).state).toBe('pending');
    expect((await rows()).map((r) => [r.taskId, r.action])).toEqual([['deploy-1', 'deliver_boot_action_context']]);
    await agentAnswers({ state: 'done' }, 'deliver_boot_action_context');
    await drivers.node.run(subtask, 'deploy_node', node);
    expect((await rows()).map((r) => [r.taskId, r.action])).toEqual([['deploy-1', 'deliver_boot_action_context'], ['sub-1', 'deploy_node']]);
  });

  it('retries a deploy whose key did not reach the site by delivering the same sealed key again first; one that failed after it got there, without', async () => {
    const { ctx, drivers, rows, agentAnswers, box } = await edge();
    const deployTask = { ...ctx, taskId: 'deploy-1' };
    const subtask = { ...ctx, taskId: 'sub-1', parentTaskId: 'deploy-1' };
    const payload = { nodeKey: 'cd'.repeat(32), actions: [{ name: 'hello', actionId: '01ABC', signaling: true }], packages: {} };
    // Rows by action, then seq.
    const calls = async () => (await rows()).sort((a, b) => a.action.localeCompare(b.action)).map((r) => `${r.action}:${r.state}`);
    await drivers.node.deliverBootActionContext!(deployTask, node, payload);
    await agentAnswers({ state: 'failed', reason: 'MAAS POST tags/ answered HTTP 500' }, 'deliver_boot_action_context');
    const undelivered = { state: 'failed', reason: 'the boot action key did not reach the site: MAAS POST tags/ answered HTTP 500' };
    expect(await drivers.node.run(subtask, 'deploy_node', node)).toEqual(undelivered);

    // The retry (the node plan's, with no memo): the key goes to the site again, and only then the deploy.
    expect(await drivers.node.run(subtask, 'deploy_node', node)).toMatchObject({ state: 'pending', detail: expect.stringMatching(/^waiting for an agent of site east-lab/) });
    expect(await calls()).toEqual(['deliver_boot_action_context:done', 'deliver_boot_action_context:queued']);
    const [first, again] = (await rows()).filter((r) => r.action === 'deliver_boot_action_context');
    expect([again!.taskId, again!.seq]).toEqual(['deploy-1', 2]);
    expect(JSON.parse(await box.open((again!.request as { sealedContext: string }).sealedContext))).toEqual(payload);
    expect(again!.request).toEqual(first!.request);
    expect((await drivers.node.run(subtask, 'deploy_node', node)).state).toBe('pending');
    expect(await calls()).toHaveLength(2);
    await agentAnswers({ state: 'done' }, 'deliver_boot_action_context');
    await drivers.node.run(subtask, 'deploy_node', node);
    expect(await calls()).toEqual(['deliver_boot_action_context:done', 'deliver_boot_action_context:done', 'deploy_node:queued']);

    // The deploy fails at the site after the key got there: its retry needs no other delivery.
    await agentAnswers({ state: 'failed', reason: 'node east-cmp01 failed to deploy in MAAS: Failed deployment' }, 'deploy_node');
    expect((await drivers.node.run(subtask, 'deploy_node', node)).state).toBe('failed');
    await drivers.node.run(subtask, 'deploy_node', node);
    expect(await calls()).toEqual(['deliver_boot_action_context:done', 'deliver_boot_action_context:done', 'deploy_node:done', 'deploy_node:queued']);
  });

  it('fails each attempt whose own delivery failed, so a retry never deploys without the key', async () => {
    const { ctx, drivers, rows, agentAnswers } = await edge();
    const subtask = { ...ctx, taskId: 'sub-1', parentTaskId: 'task-1' };
    await drivers.node.deliverBootActionContext!(ctx, node, { nodeKey: 'ef'.repeat(32), actions: [], packages: {} });
    for (const reason of ['HTTP 500', 'HTTP 503']) {
      await agentAnswers({ state: 'failed', reason }, 'deliver_boot_action_context');
      expect(await drivers.node.run(subtask, 'deploy_node', node)).toEqual({ state: 'failed', reason: `the boot action key did not reach the site: ${reason}` });
      expect((await drivers.node.run(subtask, 'deploy_node', node)).state).toBe('pending');
    }
    expect((await rows()).map((r) => `${r.action}:${r.seq}:${r.state}`)).toEqual([
      'deliver_boot_action_context:1:done',
      'deliver_boot_action_context:2:done',
      'deliver_boot_action_context:3:queued',
    ]);
  });
});
