import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { bootActionStatus } from '../../src/db/schema/bootactions.ts';
import type { Db } from '../../src/db/types.ts';
import { createLogger } from '../../src/core/log.ts';
import { bootactionReportStep } from '../../src/orchestrator/bootaction-report.ts';
import type { StepContext, StepResult } from '../../src/orchestrator/step.ts';
import type { TaskRow } from '../../src/orchestrator/task-store.ts';
import { memoryDatabase } from '../helpers/app.ts';
import { siteDesignOf, siteOfNodes } from './harness.ts';

const DEPLOY = 'deploy-task';
const START = Date.parse('2030-01-01T00:00:00Z');
const site = siteOfNodes(3);

async function seed(db: Db) {
  let n = 0;
  for (const node of ['n001', 'n002', 'n003']) {
    for (const action of ['hello', 'join']) {
      await db.insert(bootActionStatus).values({
        actionId: `01J${String(++n).padStart(23, '0')}`,
        nodeName: node,
        actionName: action,
        taskId: DEPLOY,
        actionKeyDigest: 'cd'.repeat(32),
        actionStatus: 'incomplete',
        created: new Date(START),
      });
    }
  }
}

/** Runs the report step at `at` with the state the previous step saved. */
async function step(db: Db, at: number, stepState: Record<string, unknown> | null): Promise<StepResult> {
  const config = loadConfig({ AUTH_MODE: 'none', BOOTACTION_FINAL_STATUS_TIMEOUT: '900', TASK_POLL_INTERVAL_SECONDS: '10' });
  const row = { taskId: 'report-task', parentTaskId: DEPLOY, nodeFilter: null, stepState, step: stepState ? 'waiting' : null } as TaskRow;
  const ctx = {
    row,
    now: new Date(at),
    db,
    config,
    drivers: {} as StepContext['drivers'],
    logger: createLogger({ level: 'error', sink: () => {} }),
    siteDesign: await siteDesignOf({}),
    site: async () => site,
    design: async () => {
      throw new Error('bootaction_report reads no design');
    },
    driverContext: () => ({}) as never,
    nodesPerStep: 50,
    pollMs: 10_000,
  } satisfies StepContext;
  return bootactionReportStep(ctx);
}

/** Every action of the node reports Success. */
const finish = (db: Db, node: string) =>
  db.update(bootActionStatus).set({ actionStatus: 'success' }).where(eq(bootActionStatus.nodeName, node));

describe('bootaction_report while it waits', () => {
  it('says which nodes and actions it waits for, again only when that set changed, at most once a minute', async () => {
    const db = (await memoryDatabase()).db;
    await seed(db);
    const deadline = new Date(START + 900_000).toISOString();
    let t = START;
    let r = await step(db, t, null);
    expect(r.status).toBe('running');
    expect(r.messages.map((m) => m.message)).toEqual([
      `Waiting until ${deadline} for boot action reports of 3 node(s): n001 (hello, join), n002 (hello, join), n003 (hello, join)`,
    ]);
    expect(r.wait).toEqual({ on: 'boot action reports of 3 node(s) (6 action(s))', until: START + 900_000 });
    // Polls that change nothing add nothing.
    for (let i = 0; i < 5; i++) {
      t += 10_000;
      r = await step(db, t, r.stepState);
      expect(r.messages, `poll ${i}`).toEqual([]);
    }
    // n002 reported within the minute of the last message: said at the first poll a minute on.
    await finish(db, 'n002');
    t += 5_000;
    r = await step(db, t, r.stepState);
    expect(r.messages).toEqual([]);
    t = START + 60_000;
    r = await step(db, t, r.stepState);
    expect(r.messages.map((m) => m.message)).toEqual([
      `Waiting until ${deadline} for boot action reports of 2 node(s): n001 (hello, join), n003 (hello, join)`,
    ]);
    t += 60_000;
    r = await step(db, t, r.stepState);
    expect(r.messages).toEqual([]);
    await finish(db, 'n001');
    await finish(db, 'n003');
    r = await step(db, t + 10_000, r.stepState);
    expect([r.status, r.result.status]).toEqual(['complete', 'success']);
  });
});
