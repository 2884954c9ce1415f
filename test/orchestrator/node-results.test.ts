import { describe, expect, it } from 'vitest';
import type { Progress } from '../../src/drivers/types.ts';
import { harness, scriptedDrivers, siteOfNodes, type Script } from './harness.ts';

const REF = 'design://site';

async function setup(script: Script, options: { nodes?: number; nodesPerStep?: number; oobType?: (i: number) => string | null } = {}) {
  const d = scriptedDrivers({ script });
  const h = await harness({
    drivers: d.drivers,
    sites: { [REF]: siteOfNodes(options.nodes ?? 3, options.oobType) },
    nodesPerStep: options.nodesPerStep,
  });
  return { d, h };
}

const done: Progress = { state: 'done' };

describe('per-node results', () => {
  it('polls a pending node again after the driver-given retryAfterMs, then completes', async () => {
    const { d, h } = await setup((action, _node, call) =>
      action === 'deploy_node' && call < 3 ? { state: 'pending', retryAfterMs: 30_000 } : done,
    );
    const start = h.clock.ms;
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    expect(d.callsOf('deploy_node', 'n001')).toBe(3);
    const deploy = (await h.subtasks(id)).find((s) => s.action === 'deploy_node');
    expect(h.queue.log.filter((e) => e.taskId === deploy?.taskId).map((e) => e.delayMs)).toEqual([0, 30_000, 30_000]);
    // Two pending answers, 30 s apart each: the deploy took a minute of (simulated) time.
    expect(h.clock.ms - start).toBeGreaterThanOrEqual(60_000);
  });

  it('polls at TASK_POLL_INTERVAL_SECONDS when the driver gives no retryAfterMs', async () => {
    const { h } = await setup((action, _node, call) =>
      action === 'destroy_node' && call === 1 ? { state: 'pending' } : done,
    );
    const id = await h.create({ action: 'destroy_nodes', designRef: REF });
    await h.drain();
    const [sub] = await h.subtasks(id);
    expect(h.queue.log.filter((e) => e.taskId === sub?.taskId).map((e) => e.delayMs)).toEqual([0, 10_000]);
  });

  it('gives partial_success with the failed node in failures, named with its reason', async () => {
    const { d, h } = await setup((action, node) =>
      action === 'apply_node_storage' && node === 'n002' ? { state: 'failed', reason: 'disk sdb missing' } : done,
    );
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus]).toEqual(['complete', 'partial_success']);
    expect(task.resultSuccesses).toEqual(['n001', 'n003']);
    expect(task.resultFailures).toEqual(['n002']);
    expect(task.resultErrorCount).toBe(1);
    const errors = (await h.messages(id)).filter((m) => m.error);
    expect(errors.map((m) => [m.context, m.contextType, m.message])).toEqual([
      ['n002', 'node', 'apply_node_storage failed on n002: disk sdb missing'],
    ]);
    // Only nodes that passed a phase go on to the next.
    expect(d.callsOf('apply_node_platform', 'n002')).toBe(0);
    expect(d.callsOf('deploy_node')).toBe(2);
  });

  it('fails the task when every node fails', async () => {
    const { h } = await setup((action) => (action === 'set_node_boot' ? { state: 'failed', reason: 'BMC down' } : done));
    const id = await h.create({ action: 'prepare_nodes', designRef: REF });
    await h.drain();
    const task = await h.task(id);
    expect([task.resultStatus, task.resultSuccesses, task.resultFailures]).toEqual(['failure', [], ['n001', 'n002', 'n003']]);
    expect((await h.subtasks(id)).map((s) => s.action)).toEqual(['set_node_boot']);
  });

  it('counts a driver that throws as a failure of that node', async () => {
    const { h } = await setup((action, node) => {
      if (action === 'destroy_node' && node === 'n001') throw new Error('connection reset');
      return done;
    });
    const id = await h.create({ action: 'destroy_nodes', designRef: REF });
    await h.drain();
    const task = await h.task(id);
    expect(task.resultFailures).toEqual(['n001']);
    expect((await h.messages(id)).some((m) => m.message === 'destroy_node failed on n001: connection reset')).toBe(true);
  });

  it('fails nodes whose OOB type no enabled driver serves, as Drydock', async () => {
    const { d, h } = await setup(() => done, { oobType: (i) => (i === 0 ? 'redfish' : 'ipmi') });
    const id = await h.create({ action: 'prepare_nodes', designRef: REF });
    await h.drain();
    const task = await h.task(id);
    expect([task.resultStatus, task.resultFailures]).toEqual(['partial_success', ['n001']]);
    expect((await h.messages(id)).some((m) => m.message === 'Node n001 OOB type redfish is not supported.')).toBe(true);
    expect(d.calls.some((c) => c.node === 'n001')).toBe(false);
  });
});

describe('retries (Drydock retry_task with max_attempts=3)', () => {
  for (const [action, top] of [
    ['configure_hardware', 'prepare_nodes'],
    ['deploy_node', 'deploy_nodes'],
    ['destroy_node', 'destroy_nodes'],
  ] as const) {
    it(`runs ${action} at most 1 + 3 times for a node that keeps failing`, async () => {
      const { d, h } = await setup((a, node) => (a === action && node === 'n003' ? { state: 'failed', reason: 'nope' } : done));
      const id = await h.create({ action: top, designRef: REF });
      await h.drain();
      const task = await h.task(id);
      expect(d.callsOf(action, 'n003')).toBe(4);
      // Nodes that succeeded are not run again.
      expect(d.callsOf(action, 'n001')).toBe(1);
      expect([task.resultStatus, task.resultFailures]).toEqual(['partial_success', ['n003']]);
      const sub = (await h.subtasks(id)).find((s) => s.action === action);
      expect(sub?.retry).toBe(3);
      const texts = (await h.messages(sub?.taskId ?? '')).map((m) => m.message);
      expect(texts.filter((t) => t === 'Retrying task for failed entities.')).toHaveLength(3);
      expect(texts).toContain('Retry requested, out of attempts.');
    });
  }

  it('counts a node that succeeds on a retry as a success only (Drydock keeps it in failures too)', async () => {
    const { d, h } = await setup((a, node, call) =>
      a === 'configure_hardware' && node === 'n002' && call === 1 ? { state: 'failed', reason: 'flaky' } : done,
    );
    const id = await h.create({ action: 'prepare_nodes', designRef: REF });
    await h.drain();
    const task = await h.task(id);
    expect([task.resultStatus, task.resultSuccesses, task.resultFailures]).toEqual([
      'success',
      ['n001', 'n002', 'n003'],
      [],
    ]);
    expect(d.callsOf('configure_hardware', 'n002')).toBe(2);
    const sub = (await h.subtasks(id)).find((s) => s.action === 'configure_hardware');
    expect([sub?.retry, sub?.resultStatus, sub?.resultFailures]).toEqual([1, 'success', []]);
  });

  it('does not retry actions Drydock does not retry', async () => {
    const { d, h } = await setup((a, node) => (a === 'apply_node_networking' && node === 'n001' ? { state: 'failed', reason: 'x' } : done));
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain();
    expect(d.callsOf('apply_node_networking', 'n001')).toBe(1);
    expect((await h.task(id)).resultFailures).toEqual(['n001']);
  });
});

describe('bounded steps', () => {
  it('calls the driver for at most nodesPerStep nodes per step', async () => {
    let inStep = 0;
    let maxInStep = 0;
    const { d, h } = await setup(
      async (action) => {
        if (action === 'destroy_node') {
          inStep++;
          maxInStep = Math.max(maxInStep, inStep);
          await Promise.resolve();
          queueMicrotask(() => inStep--);
        }
        return done;
      },
      { nodes: 120, nodesPerStep: 50 },
    );
    const id = await h.create({ action: 'destroy_nodes', designRef: REF });
    await h.drain();
    const [sub] = await h.subtasks(id);
    const steps = h.queue.log.filter((e) => e.taskId === sub?.taskId);
    expect(steps).toHaveLength(3); // created, then two "call again now"
    expect(maxInStep).toBeLessThanOrEqual(50);
    expect(d.callsOf('destroy_node')).toBe(120);
    expect((await h.task(id)).resultSuccesses).toHaveLength(120);
  });

  it('asks pending nodes again round-robin, without starving nodes not yet asked', async () => {
    const { d, h } = await setup(
      (action, _node, call) => (action === 'destroy_node' && call === 1 ? { state: 'pending', retryAfterMs: 5_000 } : done),
      { nodes: 6, nodesPerStep: 2 },
    );
    await h.create({ action: 'destroy_nodes', designRef: REF });
    await h.drain();
    const order = d.calls.filter((c) => c.action === 'destroy_node').map((c) => c.node);
    expect(order.slice(0, 6)).toEqual(['n001', 'n002', 'n003', 'n004', 'n005', 'n006']);
    expect(order).toHaveLength(12);
  });
});
