import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tasks } from '../../src/db/schema/tasks.ts';
import { harness, scriptedDrivers, siteOfNodes } from './harness.ts';

const REF = 'design://log-site';
const LIFE = new Set(['task started', 'task phase', 'task waiting', 'task ended']);

describe("a task's life in the log", () => {
  it('writes one line as a deploy starts, enters each phase, waits, and ends; none per poll', async () => {
    // Each node answers pending twice per driver action: several polls per phase.
    const d = scriptedDrivers({ script: (_action, _node, call) => (call <= 2 ? { state: 'pending', retryAfterMs: 5_000 } : { state: 'done' }) });
    const h = await harness({ drivers: d.drivers, sites: { [REF]: siteOfNodes(3) }, captureLogs: true, env: { TASK_POLL_INTERVAL_SECONDS: '2' } });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain();
    const top = h.logs.filter((l) => l['task_id'] === id && LIFE.has(String(l['msg'])));
    const phases = ['apply_node_networking', 'apply_node_storage', 'apply_node_platform', 'deploy_node', 'bootaction_report'];
    expect(top.map((l) => [l['msg'], l['phase'] ?? null])).toEqual([
      ['task started', null],
      ...phases.flatMap((p) => [
        ['task phase', p],
        ['task waiting', p],
      ]),
      ['task ended', null],
    ]);
    expect(top[0]).toMatchObject({ level: 'info', action: 'deploy_nodes', nodes: 3 });
    expect(top[1]).toMatchObject({ phase: 'apply_node_networking', nodes: 3 });
    expect(top[2]).toMatchObject({ on: '1 apply_node_networking subtask(s) on 3 node(s)', until: null, next_check: expect.any(String) });
    expect(top.at(-1)).toMatchObject({ status: 'complete', result: 'success', successes: 3, failures: 0 });

    // A driver subtask: started, waiting on the driver (once, though polled again), ended.
    const sub = (await h.subtasks(id)).find((s) => s.action === 'deploy_node')!;
    const subLines = h.logs.filter((l) => l['task_id'] === sub.taskId && LIFE.has(String(l['msg'])));
    expect(subLines.map((l) => l['msg'])).toEqual(['task started', 'task waiting', 'task ended']);
    expect(subLines[1]).toMatchObject({ parent_task_id: id, on: 'the driver to finish deploy_node on 3 node(s)' });
    expect(d.callsOf('deploy_node')).toBeGreaterThan(3);
  });

  it('says who terminated a task as it ends', async () => {
    const d = scriptedDrivers({ script: () => ({ state: 'pending', retryAfterMs: 60_000 }) });
    const h = await harness({ drivers: d.drivers, sites: { [REF]: siteOfNodes(2) }, captureLogs: true });
    const id = await h.create({ action: 'prepare_nodes', designRef: REF });
    await h.drain(5);
    await h.database.db.update(tasks).set({ terminate: true, terminatedBy: 'alice' }).where(eq(tasks.taskId, id));
    await h.queue.scheduler.schedule(id, 0);
    await h.drain();
    expect(h.logs.find((l) => l['task_id'] === id && l['msg'] === 'task ended')).toMatchObject({
      status: 'terminated',
      result: 'failure',
      failures: 2,
      terminated_by: 'alice',
    });
  });
});
