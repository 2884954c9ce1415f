import type { Config } from '../core/config.ts';
import type { Db } from '../db/types.ts';
import type { SiteModel } from '../design/model.ts';
import type { CollectedBuildData, DriverContext, Drivers } from '../drivers/types.ts';
import type { Logger } from '../core/log.ts';
import type { CompiledDesign, LoadOptions, SiteDesignDeps } from '../design/site-design.ts';
import type { ResultLink, TaskMessage, TaskRow } from './task-store.ts';
import type { ActionResult, TaskStatus } from './types.ts';

/** What one step of any action may read. */
export interface StepContext {
  row: TaskRow;
  now: Date;
  db: Db;
  config: Config;
  drivers: Drivers;
  logger: Logger;
  siteDesign: SiteDesignDeps;
  /** The task's effective site (of its pinned design); throws TaskFailure when the design does not load. */
  site(): Promise<SiteModel>;
  /** The task's pinned design as read; throws TaskFailure when its design_ref cannot be resolved. */
  design(options?: LoadOptions): Promise<CompiledDesign>;
  driverContext(site: SiteModel): DriverContext;
  /** Driver calls allowed in one step. */
  nodesPerStep: number;
  pollMs: number;
}

/** A subtask to insert (status queued) together with the step's outcome. */
export interface SubtaskSpec {
  taskId: string;
  action: string;
  nodeFilter: unknown;
  stepState: Record<string, unknown> | null;
}

/** A completed subtask to run again for its failed nodes (Drydock's retry_task). */
export interface Reopen {
  taskId: string;
  /** The subtask's new step_state (its failed nodes as `remaining`). */
  stepState: Record<string, unknown>;
}

/**
 * The outcome of one step, saved in one batch (save.ts). The task's own
 * `terminate` flag is never written here: the API sets it while a step may
 * be running, and the save only reads it. A parent being terminated sets it
 * on its live subtasks (`terminateSubtasks`).
 */
export interface StepResult {
  status: TaskStatus;
  step: string | null;
  stepState: Record<string, unknown> | null;
  result: {
    status: ActionResult;
    successes?: string[];
    failures?: string[];
    message?: string | null;
    reason?: string | null;
    links?: ResultLink[];
  };
  messages: TaskMessage[];
  subtasks?: SubtaskSpec[];
  reopen?: Reopen[];
  /** Mark the task's active subtasks for termination (a parent being terminated). */
  terminateSubtasks?: boolean;
  buildData?: CollectedBuildData[];
  /** When to be called again; null for never (the task is final). */
  nextDelayMs: number | null;
  /** Subtasks the task still waits on, checked once more after saving (see orchestrator.ts). */
  waitingOn?: string[];
  /** What a running step waits on, for the task's log line when it starts waiting (task-log.ts). */
  wait?: TaskWait;
}

export interface TaskWait {
  /** e.g. "3 deploy_node subtask(s)", "boot action reports of 2 node(s)". */
  on: string;
  /** The latest it waits (epoch ms), when there is a deadline. */
  until?: number;
}

export type StepFn = (ctx: StepContext) => Promise<StepResult>;

/** A final outcome of the task being advanced. */
export function complete(
  result: StepResult['result'],
  messages: TaskMessage[],
  extra: Partial<StepResult> = {},
): StepResult {
  return { status: 'complete', step: 'done', stepState: null, result, messages, nextDelayMs: null, ...extra };
}

/** A parent that keeps waiting on its live subtasks: same step, same state, polled again. */
export function waitingOn(ctx: StepContext, state: object, active: string[]): StepResult {
  return {
    status: 'running',
    step: ctx.row.step,
    stepState: { ...state },
    result: { status: 'incomplete' },
    messages: [],
    nextDelayMs: ctx.pollMs,
    waitingOn: active,
  };
}

export const taskMessage = (ctx: StepContext, message: string, error = false): TaskMessage => ({
  message,
  error,
  context: ctx.row.taskId,
  contextType: 'task',
});

export const nodeMessage = (node: string, message: string, error = false): TaskMessage => ({
  message,
  error,
  context: node,
  contextType: 'node',
});

/** Drydock's messages with no particular subject use ctx 'NA'. */
export const siteMessage = (message: string, error = false): TaskMessage => ({
  message,
  error,
  context: 'NA',
  contextType: 'NA',
});
