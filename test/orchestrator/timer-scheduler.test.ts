import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { tasks } from '../../src/db/schema/tasks.ts';
import { createLogger } from '../../src/core/log.ts';
import { createOrchestrator } from '../../src/orchestrator/orchestrator.ts';
import { createTaskRecord } from '../../src/orchestrator/task-store.ts';
import { createTimerScheduler, type TimerTarget } from '../../src/runtime/timer-scheduler.ts';
import { memoryDatabase } from '../helpers/app.ts';
import { scriptedDrivers, siteDesignOf, siteOfNodes } from './harness.ts';

const quiet = createLogger({ level: 'error', sink: () => {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function target(options: { stepMs?: number } = {}) {
  const advanced: string[] = [];
  let sweeps = 0;
  let running = 0;
  let maxRunning = 0;
  const perTask = new Map<string, number>();
  let overlaps = 0;
  const t: TimerTarget = {
    async advance(taskId) {
      advanced.push(taskId);
      running++;
      maxRunning = Math.max(maxRunning, running);
      perTask.set(taskId, (perTask.get(taskId) ?? 0) + 1);
      if ((perTask.get(taskId) ?? 0) > 1) overlaps++;
      await sleep(options.stepMs ?? 0);
      perTask.set(taskId, (perTask.get(taskId) ?? 1) - 1);
      running--;
    },
    async sweep() {
      sweeps++;
      return 0;
    },
  };
  return {
    t,
    advanced,
    get sweeps() {
      return sweeps;
    },
    get maxRunning() {
      return maxRunning;
    },
    get overlaps() {
      return overlaps;
    },
  };
}

describe('the in-process timer scheduler', () => {
  it('sweeps at start and runs tasks scheduled before and after it', async () => {
    const s = createTimerScheduler({ logger: quiet });
    const x = target();
    await s.schedule('early', 0);
    s.start(x.t);
    await s.schedule('later', 5);
    await sleep(50);
    await s.stop();
    expect(x.sweeps).toBe(1);
    expect(x.advanced.sort()).toEqual(['early', 'later']);
  });

  it('keeps one timer per task, at the earliest time asked', async () => {
    const s = createTimerScheduler({ logger: quiet });
    const x = target();
    s.start(x.t);
    await s.schedule('a', 10_000);
    await s.schedule('a', 5);
    await s.schedule('a', 20);
    await sleep(60);
    await s.stop();
    expect(x.advanced).toEqual(['a']);
  });

  it('never runs two advances of one task at once, and runs it again when asked meanwhile', async () => {
    const s = createTimerScheduler({ logger: quiet });
    const x = target({ stepMs: 30 });
    s.start(x.t);
    await s.schedule('a', 0);
    await sleep(5);
    await s.schedule('a', 0);
    await s.schedule('a', 0);
    await sleep(120);
    await s.stop();
    expect(x.overlaps).toBe(0);
    expect(x.advanced).toEqual(['a', 'a']);
  });

  it('bounds the advances running at once', async () => {
    const s = createTimerScheduler({ logger: quiet, concurrency: 2 });
    const x = target({ stepMs: 20 });
    s.start(x.t);
    for (const id of ['a', 'b', 'c', 'd', 'e']) await s.schedule(id, 0);
    await sleep(150);
    await s.stop();
    expect(x.advanced.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(x.maxRunning).toBe(2);
  });

  it('sweeps again every interval and stops cleanly', async () => {
    const s = createTimerScheduler({ logger: quiet, sweepIntervalMs: 10 });
    const x = target();
    s.start(x.t);
    await s.schedule('far', 60_000);
    await sleep(55);
    await s.stop();
    const sweeps = x.sweeps;
    expect(sweeps).toBeGreaterThanOrEqual(3);
    await s.schedule('after-stop', 0);
    await sleep(30);
    expect(x.sweeps).toBe(sweeps);
    expect(x.advanced).toEqual([]);
  });

  it('drives the orchestrator through a whole deploy on real timers', async () => {
    const database = await memoryDatabase();
    const config = loadConfig({ AUTH_MODE: 'none', TASK_POLL_INTERVAL_SECONDS: '1' });
    const d = scriptedDrivers({
      script: (action, _node, call) => (action === 'deploy_node' && call === 1 ? { state: 'pending', retryAfterMs: 20 } : { state: 'done' }),
    });
    const scheduler = createTimerScheduler({ logger: quiet });
    const clock = () => new Date();
    const orchestrator = createOrchestrator({
      db: database.db,
      config,
      clock,
      logger: quiet,
      drivers: d.drivers,
      scheduler,
      siteDesign: await siteDesignOf({ 'design://s': siteOfNodes(3) }),
      owner: 'node-process',
    });
    const task = await createTaskRecord({ db: database.db, clock }, { action: 'deploy_nodes', designRef: 'design://s' });
    scheduler.start(orchestrator); // the start-up sweep finds the new task
    let status = '';
    for (let i = 0; i < 200 && status !== 'complete'; i++) {
      await sleep(10);
      const [row] = await database.db.select({ status: tasks.status }).from(tasks).where(eq(tasks.taskId, task.taskId));
      status = row?.status ?? '';
    }
    await scheduler.stop();
    expect(status).toBe('complete');
    expect(d.callsOf('deploy_node')).toBe(6);
  });
});
