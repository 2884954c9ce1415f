import { describe, expect, it } from 'vitest';
import { addResultMessages, createTaskRecord, setTaskResult } from '../../src/orchestrator/task-store.ts';
import { memoryDatabase } from '../helpers/app.ts';
import { manualClock, scriptedDrivers, harness } from './harness.ts';

describe('task records', () => {
  it('creates a queued task with a UUID v4, due at once', async () => {
    const database = await memoryDatabase();
    const clock = manualClock();
    const filter = { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['a'] }] };
    const row = await createTaskRecord(
      { db: database.db, clock: clock.now },
      { action: 'deploy_nodes', designRef: 'design://x', nodeFilter: filter, createdBy: 'alice', requestContext: { user: 'alice' } },
    );
    expect(row.taskId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row).toMatchObject({
      action: 'deploy_nodes',
      status: 'queued',
      resultStatus: 'incomplete',
      designRef: 'design://x',
      nodeFilter: filter,
      createdBy: 'alice',
      requestContext: { user: 'alice' },
      parentTaskId: null,
      resultSuccesses: [],
      resultFailures: [],
      retry: 0,
      terminate: false,
    });
    expect(row.created.getTime()).toBe(clock.ms);
    expect(row.nextRunAt?.getTime()).toBe(clock.ms);
  });

  it('appends messages in order, counts errors and sets results', async () => {
    const d = scriptedDrivers({});
    const h = await harness({ drivers: d.drivers, sites: {} });
    const ctx = { db: h.database.db, clock: h.clock.now };
    const row = await createTaskRecord(ctx, { action: 'validate_design', designRef: 'design://x' });
    await addResultMessages(ctx, row.taskId, [
      { message: 'first', error: false, context: 'NA', contextType: 'NA' },
      { message: 'second', error: true, context: 'n1', contextType: 'node', extra: { why: 'because' } },
    ]);
    await addResultMessages(ctx, row.taskId, [{ message: 'third', error: true, context: 'NA', contextType: 'NA' }]);
    await setTaskResult(ctx, row.taskId, { status: 'partial_success', successes: ['n2'], failures: ['n1'], message: 'done' });
    const messages = await h.messages(row.taskId);
    expect(messages.map((m) => m.message)).toEqual(['first', 'second', 'third']);
    expect(messages[1]).toMatchObject({ error: true, context: 'n1', contextType: 'node', extra: { why: 'because' } });
    const task = await h.task(row.taskId);
    expect(task).toMatchObject({
      resultErrorCount: 2,
      resultStatus: 'partial_success',
      resultSuccesses: ['n2'],
      resultFailures: ['n1'],
      resultMessage: 'done',
    });
  });
});
