import { siteMessage, type StepContext, type StepResult } from './step.ts';

/**
 * A task marked `terminate` stops at its next step: status terminated, the
 * nodes it had not finished become failures, and its active subtasks are
 * marked for termination too (Drydock's terminate_task propagates).
 */
export function terminateStep(ctx: StepContext): StepResult {
  const state = ctx.row.stepState ?? {};
  const unfinished = [state['remaining'], state['nodes']].find(Array.isArray) as string[] | undefined;
  const failures = new Set(ctx.row.resultFailures);
  const reasons = { ...(state['reasons'] as Record<string, string> | undefined) };
  const ok = new Set(ctx.row.resultSuccesses);
  for (const name of unfinished ?? []) {
    if (ok.has(name)) continue;
    failures.add(name);
    reasons[name] = 'terminated';
  }
  const successes = ctx.row.resultSuccesses;
  return {
    status: 'terminated',
    step: 'terminated',
    stepState: { ...state, ...(Array.isArray(state['remaining']) ? { remaining: [] } : {}), reasons },
    result: { status: successes.length > 0 ? 'partial_success' : 'failure', failures: [...failures] },
    messages: [siteMessage(ctx.row.terminatedBy ? `Action terminated by ${ctx.row.terminatedBy}.` : 'Action terminated.')],
    terminateSubtasks: true,
    nextDelayMs: null,
  };
}
