import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tasks } from '../../src/db/schema/tasks.ts';
import type { Progress } from '../../src/drivers/types.ts';
import { claimTask } from '../../src/orchestrator/lease.ts';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.ts';
import { harness, scriptedDrivers, siteOfNodes, type Harness, type Script } from './harness.ts';

const REF = 'design://site';
const done: Progress = { state: 'done' };

async function setup(script: Script = () => done, nodes = 2) {
  const d = scriptedDrivers({ script });
  const h = await harness({ drivers: d.drivers, sites: { [REF]: siteOfNodes(nodes) } });
  return { d, h };
}

async function liveTaskIds(h: Harness): Promise<string[]> {
  const rows = await h.database.db.select({ id: tasks.taskId, status: tasks.status }).from(tasks);
  return rows.filter((r) => r.status !== 'complete' && r.status !== 'terminated').map((r) => r.id);
}

describe('leases', () => {
  it('never lets two executors racing on one task both run a step', async () => {
    const inFlight = new Map<string, number>();
    let overlaps = 0;
    const { d, h } = await setup(async (action, node) => {
      const key = `${action}:${node}`;
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      if ((inFlight.get(key) ?? 0) > 1) overlaps++;
      await new Promise((r) => setTimeout(r, 1));
      inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
      return done;
    }, 3);
    const a = h.make('executor-a');
    const b = h.make('executor-b');
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    const outcomes = new Map<string, number>();
    for (let round = 0; round < 200; round++) {
      const live = await liveTaskIds(h);
      if (live.length === 0) break;
      const results = await Promise.all(live.flatMap((t) => [a.advance(t), b.advance(t), a.advance(t), b.advance(t)]));
      for (const r of results) outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    }
    const task = await h.task(id);
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    expect(overlaps).toBe(0);
    // Each node was deployed exactly once: no step ran twice.
    for (const action of ['apply_node_networking', 'apply_node_storage', 'apply_node_platform', 'deploy_node'] as const) {
      for (const node of ['n001', 'n002', 'n003']) expect(d.callsOf(action, node)).toBe(1);
    }
    expect(outcomes.get('skipped')).toBeGreaterThan(0);
    expect(outcomes.get('lost') ?? 0).toBe(0);
    expect((await h.subtasks(id)).map((s) => s.action)).toEqual([
      'apply_node_networking',
      'apply_node_storage',
      'apply_node_platform',
      'deploy_node',
      'bootaction_report',
    ]);
  });

  it('replaces an executor that died mid-step once its lease has expired', async () => {
    const { h } = await setup();
    const id = await h.create({ action: 'destroy_nodes', designRef: REF });
    h.queue.due.clear();
    // The dead executor claimed the task and never saved or released it.
    expect(await claimTask(h.database.db, id, 'dead-executor#1', h.clock.now(), 60_000)).not.toBeNull();
    expect(await h.orchestrator.advance(id)).toEqual({ outcome: 'skipped' });
    expect(await h.orchestrator.sweep()).toBe(0);
    h.clock.tick(60_001);
    expect(await h.orchestrator.sweep()).toBe(1);
    expect([...h.queue.due.keys()]).toEqual([id]);
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus, task.leaseOwner]).toEqual(['complete', 'success', null]);
  });

  it('discards the outcome of a step whose lease expired and was taken over', async () => {
    let b: Orchestrator | null = null;
    let taken: unknown = null;
    const { d, h } = await setup(async (_action, node, call) => {
      if (node === 'n001' && call === 1 && b) {
        // This step outlives its lease; another executor takes the task meanwhile.
        h.clock.tick(61_000);
        const executor = b;
        b = null;
        taken = await executor.advance(currentSubtask);
      }
      return done;
    }, 1);
    b = h.make('executor-b');
    const id = await h.create({ action: 'destroy_nodes', designRef: REF });
    await h.orchestrator.advance(id); // creates the destroy_node subtask
    const [sub] = await h.subtasks(id);
    const currentSubtask = sub?.taskId ?? '';
    const outcome = await h.orchestrator.advance(currentSubtask);
    expect(outcome).toEqual({ outcome: 'lost' });
    expect(taken).toMatchObject({ outcome: 'stepped', status: 'complete' });
    expect(d.callsOf('destroy_node', 'n001')).toBe(2);
    // Only the winner's step was saved: one success message, not two.
    const messages = await h.messages(currentSubtask);
    expect(messages.filter((m) => m.context === 'n001')).toHaveLength(1);
  });

  it('resumes a deploy on a new executor after a restart', async () => {
    const { d, h } = await setup((action, _node, call) =>
      action === 'deploy_node' && call <= 2 ? { state: 'pending', retryAfterMs: 20_000 } : done,
    );
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    // Run until the deploy is under way, then "crash": the in-memory queue is gone.
    for (let i = 0; i < 50 && d.callsOf('deploy_node') < 2; i++) await h.drain(1);
    expect(d.callsOf('deploy_node')).toBe(2);
    h.queue.due.clear();
    const restarted = h.make('executor-after-restart');
    h.clock.tick(60_000); // the next sweep, a minute later
    expect(await restarted.sweep()).toBeGreaterThan(0);
    await h.drain(10_000, restarted);
    const task = await h.task(id);
    expect([task.status, task.resultStatus, task.resultSuccesses]).toEqual(['complete', 'success', ['n001', 'n002']]);
    expect(d.callsOf('apply_node_networking')).toBe(2);
  });

  it('lets a parent notice a subtask that finished while the parent held its lease', async () => {
    const { h } = await setup(() => done, 1);
    const id = await h.create({ action: 'destroy_nodes', designRef: REF });
    await h.drain(1); // the parent creates its subtask
    const [sub] = await h.subtasks(id);
    h.queue.due.clear();
    // The parent is mid-step (leased by someone) when the subtask completes and tries to wake it.
    await claimTask(h.database.db, id, 'busy-parent#1', h.clock.now(), 60_000);
    await h.orchestrator.advance(sub?.taskId ?? '');
    expect(await h.orchestrator.advance(id)).toEqual({ outcome: 'skipped' });
    await h.database.db.update(tasks).set({ leaseOwner: null, leaseUntil: null }).where(eq(tasks.taskId, id));
    // The subtask marked the parent due, so the sweep finds it.
    expect(await h.orchestrator.sweep()).toBe(1);
    await h.drain();
    expect((await h.task(id)).status).toBe('complete');
  });
});

describe('sweep', () => {
  it('finds due tasks and leaves future, leased and final ones alone', async () => {
    const { h } = await setup();
    const db = h.database.db;
    const due = await h.create({ action: 'destroy_nodes', designRef: REF });
    const later = await h.create({ action: 'destroy_nodes', designRef: REF });
    const leased = await h.create({ action: 'destroy_nodes', designRef: REF });
    const finished = await h.create({ action: 'destroy_nodes', designRef: REF });
    await db.update(tasks).set({ nextRunAt: new Date(h.clock.ms + 5_000) }).where(eq(tasks.taskId, later));
    await claimTask(db, leased, 'other#1', h.clock.now(), 60_000);
    await db.update(tasks).set({ status: 'complete' }).where(eq(tasks.taskId, finished));
    h.queue.due.clear();
    expect(await h.orchestrator.sweep()).toBe(1);
    expect([...h.queue.due.keys()]).toEqual([due]);
    h.clock.tick(5_000);
    h.queue.due.clear();
    expect(await h.orchestrator.sweep()).toBe(2);
    expect([...h.queue.due.keys()].sort()).toEqual([due, later].sort());
  });

  it('is bounded per call', async () => {
    const d = scriptedDrivers({});
    const h = await harness({ drivers: d.drivers, sites: { [REF]: siteOfNodes(1) } });
    for (let i = 0; i < 5; i++) await h.create({ action: 'destroy_nodes', designRef: REF });
    h.queue.due.clear();
    const sweeper = h.make('sweeper', { sweepLimit: 2 });
    expect(await sweeper.sweep()).toBe(2);
    expect(h.queue.due.size).toBe(2);
  });
});

describe('termination', () => {
  it('stops a task marked terminate at its next step, with its subtasks', async () => {
    const { d, h } = await setup((action) => (action === 'deploy_node' ? { state: 'pending', retryAfterMs: 60_000 } : done));
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    for (let i = 0; i < 50 && d.callsOf('deploy_node') < 2; i++) await h.drain(1);
    await h.database.db
      .update(tasks)
      .set({ terminate: true, terminatedBy: 'bob' })
      .where(eq(tasks.taskId, id));
    await h.queue.scheduler.schedule(id, 0);
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus, task.terminatedBy]).toEqual(['terminated', 'failure', 'bob']);
    expect(task.terminated).not.toBeNull();
    expect(task.resultFailures).toEqual(['n001', 'n002']);
    const deploy = (await h.subtasks(id)).find((s) => s.action === 'deploy_node');
    expect([deploy?.status, deploy?.terminate, deploy?.terminatedBy]).toEqual(['terminated', true, 'bob']);
    expect(deploy?.resultFailures).toEqual(['n001', 'n002']);
    expect((await h.messages(id)).at(-1)?.message).toBe('Action terminated by bob.');
    // Nothing runs after termination.
    expect(d.callsOf('deploy_node')).toBe(2);
    expect(await h.orchestrator.advance(id)).toEqual({ outcome: 'skipped' });
  });
});
