import { describe, expect, it } from 'vitest';
import { createTaskRecord } from '../../src/orchestrator/task-store.ts';
import { memoryDatabase } from '../helpers/app.ts';
import { manualClock } from './harness.ts';

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
});
