import { and, asc, inArray, isNotNull, isNull, lt, lte, or } from 'drizzle-orm';
import type { Config } from '../core/config.ts';
import { tasks } from '../db/schema/tasks.ts';
import type { Db } from '../db/types.ts';
import type { Drivers } from '../drivers/types.ts';
import type { Logger } from '../core/log.ts';
import type { SiteDesignDeps } from '../design/site-design.ts';
import { runStep } from './dispatch.ts';
import { claimTask, leaseToken } from './lease.ts';
import { saveStep, type SaveOutcome } from './save.ts';
import type { Scheduler } from './scheduler.ts';
import { createSiteLoader } from './site-loader.ts';
import { errorText, gaveUp, recordFailedAttempt, retryDelayMs } from './step-failure.ts';
import type { StepContext, StepResult } from './step.ts';
import { countLive } from './subtasks.ts';
import { logTaskStep } from './task-log.ts';
import type { TaskRow } from './task-store.ts';
import { LIVE_STATUSES, type TaskStatus } from './types.ts';

export interface OrchestratorDeps {
  db: Db;
  config: Config;
  clock: () => Date;
  logger: Logger;
  drivers: Drivers;
  scheduler: Scheduler;
  siteDesign: SiteDesignDeps;
  /** This executor's id (an isolate, a process), recorded in lease_owner. */
  owner: string;
  /** For drivers' I/O; the global fetch by default. */
  fetch?: typeof fetch;
  /** Driver calls in one step (default 50): a 1,000-node phase is many short steps. */
  nodesPerStep?: number;
  /** Tasks one sweep schedules at most (default 100). */
  sweepLimit?: number;
}

export type AdvanceOutcome =
  /** Not claimed: the task is final, unknown, or another executor holds its lease. Nothing was done. */
  | { outcome: 'skipped' }
  /** One step ran and was saved. */
  | { outcome: 'stepped'; status: TaskStatus; step: string | null; nextDelayMs: number | null }
  /** The step ran but its lease had expired and was taken over: nothing was saved. */
  | { outcome: 'lost' }
  /**
   * The step threw (or its save did): it is tried again in `retryInMs`, or,
   * after TASK_STEP_MAX_ATTEMPTS failures in a row (`retryInMs` null), the
   * task ended in failure.
   */
  | { outcome: 'failed'; error: string; attempts: number; retryInMs: number | null };

export interface Orchestrator {
  advance(taskId: string): Promise<AdvanceOutcome>;
  /** Schedules tasks that are due or whose lease expired; returns how many. */
  sweep(): Promise<number>;
}

/**
 * The durable step machine. Each advance claims the task's lease, runs one
 * bounded step of its action, saves the outcome with the lease released in
 * one batch, and asks the scheduler to call again. Nothing is held in memory
 * between steps, so any executor on any instance can take the next one.
 */
export function createOrchestrator(deps: OrchestratorDeps): Orchestrator {
  const { db, config, clock, logger } = deps;
  const pollMs = config.TASK_POLL_INTERVAL_SECONDS * 1000;
  const leaseMs = config.TASK_LEASE_SECONDS * 1000;
  const retryBaseMs = config.TASK_STEP_RETRY_BASE_SECONDS * 1000;
  const nodesPerStep = Math.max(1, deps.nodesPerStep ?? 50);
  const fetchFn = deps.fetch ?? ((input, init) => fetch(input, init));
  const sites = createSiteLoader(deps.siteDesign, db, clock);

  const schedule = async (taskId: string, delayMs: number) => {
    try {
      await deps.scheduler.schedule(taskId, Math.max(0, Math.round(delayMs)));
    } catch (err) {
      // The sweep is the safety net: the task's next_run_at is saved.
      logger.warn('could not schedule task', { taskId, error: String(err) });
    }
  };

  const context = (row: TaskRow): StepContext => {
    const taskLogger = logger.child({ taskId: row.taskId, action: row.action });
    return {
      row,
      now: clock(),
      db,
      config,
      drivers: deps.drivers,
      logger: taskLogger,
      siteDesign: deps.siteDesign,
      site: () => sites.site(row),
      design: (options) => sites.design(row, options),
      driverContext: (site) => ({
        db,
        config,
        clock,
        fetch: fetchFn,
        logger: taskLogger,
        site,
        taskId: row.taskId,
        ...(row.parentTaskId ? { parentTaskId: row.parentTaskId } : {}),
        designRef: row.designRef ?? '',
        designHash: row.designContentHash ?? undefined,
      }),
      nodesPerStep,
      pollMs,
    };
  };

  async function notify(row: TaskRow, r: StepResult, saved: SaveOutcome): Promise<void> {
    const jobs: Promise<void>[] = [];
    if (r.nextDelayMs !== null) jobs.push(schedule(row.taskId, saved.terminateNow ? 0 : r.nextDelayMs));
    for (const s of r.subtasks ?? []) jobs.push(schedule(s.taskId, 0));
    for (const s of r.reopen ?? []) jobs.push(schedule(s.taskId, 0));
    for (const id of saved.terminated) jobs.push(schedule(id, 0));
    const final = r.status === 'complete' || r.status === 'terminated';
    if (final && row.parentTaskId) jobs.push(schedule(row.parentTaskId, 0));
    await Promise.all(jobs);
    // A subtask that finished while this step held the lease could not wake
    // this task (its advance was skipped); looking once more after the lease
    // is released closes that window.
    if (r.waitingOn && r.waitingOn.length > 0 && r.nextDelayMs !== 0) {
      if ((await countLive(db, r.waitingOn)) === 0) await schedule(row.taskId, 0);
    }
  }

  async function advance(taskId: string): Promise<AdvanceOutcome> {
    const token = leaseToken(deps.owner);
    const row = await claimTask(db, taskId, token, clock(), leaseMs);
    if (!row) return { outcome: 'skipped' };
    let result: StepResult;
    let saved: SaveOutcome;
    try {
      result = await runStep(context(row));
      // A save that throws (not one whose lease was lost) counts as a failed
      // attempt too: a step whose outcome can never be saved must end as well.
      saved = await saveStep(db, row, token, result, clock());
    } catch (err) {
      return stepFailed(row, token, err);
    }
    if (!saved.saved) {
      logger.warn('task lease lost during a step; its outcome was discarded', { taskId, action: row.action });
      return { outcome: 'lost' };
    }
    logTaskStep(logger, row, result, clock());
    await notify(row, result, saved);
    return { outcome: 'stepped', status: result.status, step: result.step, nextDelayMs: result.nextDelayMs };
  }

  /**
   * An unexpected error: the step is tried again after a wait that doubles
   * with each consecutive failure, and after TASK_STEP_MAX_ATTEMPTS the task
   * ends in failure with the error in its messages. The count lives in the
   * task row, so restarts and other executors continue it.
   */
  async function stepFailed(row: TaskRow, token: string, err: unknown): Promise<AdvanceOutcome> {
    const error = errorText(err);
    const attempts = row.stepAttempts + 1;
    const where = { taskId: row.taskId, action: row.action, step: row.step, attempts, error };
    try {
      if (attempts >= config.TASK_STEP_MAX_ATTEMPTS) {
        logger.error('task step failed; giving up', where);
        const result = gaveUp(row, attempts, error);
        const saved = await saveStep(db, row, token, result, clock());
        if (saved.saved) {
          logTaskStep(logger, row, result, clock());
          await notify(row, result, saved);
        }
        return { outcome: 'failed', error, attempts, retryInMs: null };
      }
      const delay = retryDelayMs(attempts, retryBaseMs);
      logger.warn('task step failed; retrying later', { ...where, retryInMs: delay });
      await recordFailedAttempt(db, row.taskId, token, attempts, new Date(clock().getTime() + delay));
      await schedule(row.taskId, delay);
      return { outcome: 'failed', error, attempts, retryInMs: delay };
    } catch (saveErr) {
      // The database itself cannot be written: nothing can be recorded. The
      // lease expires and the sweep tries again; the count is not advanced.
      logger.error('task step failure could not be recorded', { ...where, saveError: errorText(saveErr) });
      return { outcome: 'failed', error, attempts, retryInMs: leaseMs };
    }
  }

  async function sweep(): Promise<number> {
    const now = clock();
    const due = await db
      .select({ taskId: tasks.taskId })
      .from(tasks)
      .where(
        and(
          inArray(tasks.status, [...LIVE_STATUSES]),
          or(isNull(tasks.leaseUntil), lt(tasks.leaseUntil, now)),
          // Due, never scheduled, or abandoned by a crashed executor (lease expired).
          or(isNull(tasks.nextRunAt), lte(tasks.nextRunAt, now), isNotNull(tasks.leaseUntil)),
        ),
      )
      .orderBy(asc(tasks.nextRunAt))
      .limit(Math.max(1, deps.sweepLimit ?? 100));
    await Promise.all(due.map((t) => schedule(t.taskId, 0)));
    return due.length;
  }

  return { advance, sweep };
}
