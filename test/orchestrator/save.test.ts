import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { taskEvents } from '../../src/db/schema/events.ts';
import { resultMessages, tasks } from '../../src/db/schema/tasks.ts';
import type { Db } from '../../src/db/types.ts';
import { claimTask, leaseToken } from '../../src/orchestrator/lease.ts';
import { saveStep } from '../../src/orchestrator/save.ts';
import type { StepResult } from '../../src/orchestrator/step.ts';
import { createTaskRecord } from '../../src/orchestrator/task-store.ts';
import { memoryDatabase } from '../helpers/app.ts';
import { manualClock } from './harness.ts';

const running = (over: Partial<StepResult>): StepResult => ({
  status: 'running',
  step: 'work',
  stepState: null,
  result: { status: 'incomplete' },
  messages: [],
  nextDelayMs: 1000,
  ...over,
});

async function claimed(db: Db, clock: ReturnType<typeof manualClock>, taskId: string) {
  const token = leaseToken('test');
  const row = await claimTask(db, taskId, token, clock.now(), 60_000);
  if (!row) throw new Error('not claimed');
  return { row, token };
}

const messagesOf = (db: Db, taskId: string) =>
  db.select().from(resultMessages).where(eq(resultMessages.taskId, taskId)).orderBy(asc(resultMessages.sequence));

describe('saveStep', () => {
  it("appends a step's messages in order, counts the task's own errors and sets its result", async () => {
    const { db } = await memoryDatabase();
    const clock = manualClock();
    const ctx = { db, clock: clock.now };
    const parent = await createTaskRecord(ctx, { action: 'deploy_nodes', designRef: 'design://x' });
    const child = await createTaskRecord(ctx, { action: 'deploy_node', designRef: 'design://x', parentTaskId: parent.taskId });

    const first = await claimed(db, clock, parent.taskId);
    await saveStep(db, first.row, first.token, running({
      messages: [
        { message: 'first', error: false, context: 'NA', contextType: 'NA' },
        { message: 'second', error: true, context: 'n1', contextType: 'node', extra: { why: 'because', n: [1, 2.5] } },
        { message: 'for the subtask', error: true, context: 'n2', contextType: 'node', taskId: child.taskId },
      ],
    }), clock.now());
    clock.tick(1000);
    const second = await claimed(db, clock, parent.taskId);
    const outcome = await saveStep(db, second.row, second.token, {
      status: 'complete',
      step: 'done',
      stepState: null,
      result: { status: 'partial_success', successes: ['n2'], failures: ['n1'], message: 'done' },
      messages: [{ message: 'third', error: true, context: 'NA', contextType: 'NA' }],
      nextDelayMs: null,
    }, clock.now());

    expect(outcome).toEqual({ saved: true, terminated: [], terminateNow: false });
    const messages = await messagesOf(db, parent.taskId);
    expect(messages.map((m) => m.message)).toEqual(['first', 'second', 'third']);
    expect(messages[1]).toMatchObject({ error: true, context: 'n1', contextType: 'node', extra: { why: 'because', n: [1, 2.5] } });
    expect(messages[0]).toMatchObject({ error: false, extra: {} });
    expect(await messagesOf(db, child.taskId)).toMatchObject([{ message: 'for the subtask', error: true }]);
    const [task] = await db.select().from(tasks).where(eq(tasks.taskId, parent.taskId));
    expect(task).toMatchObject({
      status: 'complete',
      resultErrorCount: 2,
      resultStatus: 'partial_success',
      resultSuccesses: ['n2'],
      resultFailures: ['n1'],
      resultMessage: 'done',
      leaseOwner: null,
      nextRunAt: null,
    });
  });

  it('writes nothing once its lease was taken over', async () => {
    const { db } = await memoryDatabase();
    const clock = manualClock();
    const task = await createTaskRecord({ db, clock: clock.now }, { action: 'deploy_nodes', designRef: 'design://x' });
    const stale = await claimed(db, clock, task.taskId);
    clock.tick(120_000);
    await claimed(db, clock, task.taskId);
    const outcome = await saveStep(db, stale.row, stale.token, running({
      messages: [{ message: 'late', error: true, context: 'NA', contextType: 'NA' }],
      subtasks: [{ taskId: crypto.randomUUID(), action: 'deploy_node', nodeFilter: null, stepState: null }],
    }), clock.now());
    expect(outcome.saved).toBe(false);
    expect(await messagesOf(db, task.taskId)).toEqual([]);
    expect(await db.select().from(tasks)).toHaveLength(1);
    const [row] = await db.select().from(tasks).where(eq(tasks.taskId, task.taskId));
    expect(row).toMatchObject({ resultErrorCount: 0, status: 'queued' });
    expect(await db.select().from(taskEvents)).toEqual([]);
  });

  it('records in the same batch what changed: one task event per change, none for a step that only polled again', async () => {
    const { db } = await memoryDatabase();
    const clock = manualClock();
    const task = await createTaskRecord({ db, clock: clock.now }, { action: 'deploy_nodes', designRef: 'design://x' });
    const sub = crypto.randomUUID();
    const nodeFilter = { filter_set_type: 'intersection', filter_set: [{ filter_type: 'union', node_names: ['n1'] }] };
    const steps: StepResult[] = [
      running({ subtasks: [{ taskId: sub, action: 'deploy_node', nodeFilter, stepState: null }], messages: [{ message: 'started', error: false, context: 'n1', contextType: 'node' }] }),
      running({}),
      running({}),
      { ...running({ result: { status: 'success', successes: ['n1'] } }), status: 'complete', step: 'done', nextDelayMs: null },
    ];
    for (const step of steps) {
      const { row, token } = await claimed(db, clock, task.taskId);
      expect((await saveStep(db, row, token, step, clock.now())).saved).toBe(true);
      clock.tick(1000);
    }
    const events = await db.select().from(taskEvents).orderBy(asc(taskEvents.seq));
    expect(events.every((e) => e.rootTaskId === task.taskId)).toBe(true);
    expect(events.map((e) => [e.type, e.taskId === sub ? 'sub' : 'task', e.node, e.status, e.phase, e.resultStatus])).toEqual([
      ['task', 'sub', 'n1', 'queued', null, 'incomplete'],
      ['message', 'task', 'n1', null, null, null],
      ['task', 'task', null, 'running', 'work', 'incomplete'],
      ['task', 'task', null, 'complete', 'done', 'success'],
    ]);
  });
});
