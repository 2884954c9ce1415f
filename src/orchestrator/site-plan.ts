import type { Drivers } from '../drivers/types.ts';
import { alignResults } from './result.ts';
import { complete, siteMessage, taskMessage, waitingOn, type StepContext, type StepFn, type StepResult } from './step.ts';
import { isLive, readSubtasks, reasonsOf } from './subtasks.ts';
import type { TaskMessage } from './task-store.ts';
import type { DriverAction } from '../drivers/actions.ts';

export interface SiteSubtask {
  action: DriverAction;
  /** The OOB driver, for OOB actions. */
  driver?: string;
}

/** Stages run one after another; the subtasks of a stage run side by side. */
export type SitePlan = (drivers: Drivers) => SiteSubtask[][];

interface SiteState {
  stage: number;
  waiting: string[];
  /** Result of every collected subtask, for Drydock's align_result. */
  results: string[];
}

/**
 * Drydock's site actions (verify_site, prepare_site): driver subtasks with
 * no node, whose results align into the task's result.
 */
export function sitePlanStep(plan: SitePlan): StepFn {
  return async (ctx) => {
    const stages = plan(ctx.drivers);
    const state = ctx.row.stepState as SiteState | null;
    if (ctx.row.step === null || state === null) {
      // The design is loaded before any subtask exists, as every other action
      // does: one that does not load ends the task here with its messages.
      // Left to the subtasks, each one's load error was an unexpected error.
      await ctx.site();
      return startStage(ctx, stages, 0, [], []);
    }
    const subs = await readSubtasks(ctx.db, state.waiting);
    const active = subs.filter((s) => isLive(s.status)).map((s) => s.taskId);
    if (active.length > 0) return waitingOn(ctx, state, active);
    const messages: TaskMessage[] = [];
    for (const s of subs) {
      messages.push(taskMessage(ctx, `Collected subtask ${s.taskId}`));
      const reason = reasonsOf(s)[''];
      if (s.resultStatus !== 'success') {
        messages.push(siteMessage(`${s.action} failed${reason ? `: ${reason}` : ''}`, true));
      }
    }
    const results = [...state.results, ...subs.map((s) => s.resultStatus ?? 'incomplete')];
    return startStage(ctx, stages, state.stage + 1, results, messages);
  };
}

function startStage(
  ctx: StepContext,
  stages: SiteSubtask[][],
  index: number,
  results: string[],
  messages: TaskMessage[],
): StepResult {
  const stage = stages[index];
  if (!stage || stage.length === 0) return complete({ status: alignResults(results) }, messages);
  const subtasks = stage.map((s) => ({
    taskId: crypto.randomUUID(),
    action: s.action,
    nodeFilter: null,
    stepState: s.driver === undefined ? null : { driver: s.driver },
  }));
  for (const s of subtasks) messages.push(taskMessage(ctx, `Started subtask ${s.taskId} for action ${s.action}`));
  const state: SiteState = { stage: index, waiting: subtasks.map((s) => s.taskId), results };
  return {
    status: 'running',
    step: stage.map((s) => s.action).join(','),
    stepState: { ...state },
    result: { status: 'incomplete' },
    messages,
    subtasks,
    nextDelayMs: ctx.pollMs,
    wait: { on: `${subtasks.length} subtask(s): ${stage.map((s) => s.action).join(', ')}` },
  };
}
