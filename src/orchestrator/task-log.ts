import type { Logger } from '../core/log.ts';
import type { StepResult } from './step.ts';
import type { TaskRow } from './task-store.ts';

/** The nodes a task's state says it works on: a plan phase's `nodes`, a driver subtask's `remaining`. */
function nodeCount(state: Record<string, unknown> | null | undefined): number | null {
  const nodes = state?.['nodes'] ?? state?.['remaining'];
  return Array.isArray(nodes) ? nodes.length : null;
}

/**
 * A task's life in the log, one structured line per event, never one per
 * poll: `task started` (its first step), `task phase` (a top-level task's
 * step changed), `task waiting` (on what, checked again when, until when at
 * the latest) as it starts waiting, and `task ended`. `task created` is the
 * API's (services/tasks/create.ts).
 */
export function logTaskStep(logger: Logger, row: TaskRow, r: StepResult, now: Date): void {
  const base = {
    task_id: row.taskId,
    action: row.action,
    ...(row.parentTaskId ? { parent_task_id: row.parentTaskId } : {}),
  };
  const final = r.status === 'complete' || r.status === 'terminated';
  const nodes = nodeCount(r.stepState) ?? nodeCount(row.stepState);
  if (row.step === null) logger.info('task started', { ...base, nodes });
  if (final) {
    logger.info('task ended', {
      ...base,
      status: r.status,
      result: r.result.status,
      successes: (r.result.successes ?? row.resultSuccesses).length,
      failures: (r.result.failures ?? row.resultFailures).length,
      ...(r.status === 'terminated' ? { terminated_by: row.terminatedBy } : {}),
    });
    return;
  }
  if (r.step === row.step) return;
  // A subtask's phase is its action: its start and end say enough.
  if (r.step !== null && !row.parentTaskId) logger.info('task phase', { ...base, phase: r.step, nodes });
  if (r.wait && r.nextDelayMs !== null && r.nextDelayMs > 0) {
    logger.info('task waiting', {
      ...base,
      phase: r.step,
      on: r.wait.on,
      next_check: new Date(now.getTime() + r.nextDelayMs).toISOString(),
      until: r.wait.until === undefined ? null : new Date(r.wait.until).toISOString(),
    });
  }
}
