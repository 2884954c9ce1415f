import { TOP_LEVEL_STEPS } from './actions/index.ts';
import { bootactionReportStep } from './bootaction-report.ts';
import { isDriverAction } from './driver-pick.ts';
import { driverStep } from './driver-step.ts';
import { BAD_DESIGN, TaskFailure } from './failure.ts';
import { complete, taskMessage, type StepContext, type StepFn, type StepResult } from './step.ts';
import { terminateStep } from './terminate.ts';
import type { TopLevelAction } from './types.ts';

/** Subtask actions the orchestrator carries out itself rather than through a driver. */
export const SUBTASK_STEPS: Record<string, StepFn> = {
  bootaction_report: bootactionReportStep,
};

const isTopLevel = (action: string): action is TopLevelAction => Object.hasOwn(TOP_LEVEL_STEPS, action);

/** One step of any task: termination first, then its action's step. */
export async function runStep(ctx: StepContext): Promise<StepResult> {
  const { row } = ctx;
  if (row.terminate) return terminateStep(ctx);
  const step = isTopLevel(row.action)
    ? TOP_LEVEL_STEPS[row.action]
    : isDriverAction(row.action)
      ? driverStep
      : SUBTASK_STEPS[row.action];
  if (!step) return complete({ status: 'failure' }, [taskMessage(ctx, `Unsupported action ${row.action}.`, true)]);
  try {
    return await step(ctx);
  } catch (err) {
    if (!(err instanceof TaskFailure)) throw err;
    // A design that does not load ends a task at its start, as in Drydock.
    // Once under way (or in a subtask, which exists because its parent
    // loaded the design) the likelier cause is a design source that is
    // briefly unreachable: the step is retried later instead, with backoff,
    // up to TASK_STEP_MAX_ATTEMPTS (see stepFailed in orchestrator.ts).
    if (err.reason === BAD_DESIGN && (row.step !== null || row.parentTaskId !== null)) throw err;
    return complete({ status: 'failure', message: err.message, reason: err.reason }, [
      taskMessage(ctx, err.message, true),
      ...err.messages,
    ]);
  }
}
