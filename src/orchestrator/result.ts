import type { ActionResult } from './types.ts';

/**
 * A task over nodes: every node ok is success, some is partial_success,
 * none is failure (Drydock's success()/failure() per node focus). A task
 * with no nodes in scope succeeds, as Drydock's "no work to do".
 */
export function nodesResult(successes: number, failures: number): ActionResult {
  if (failures === 0) return 'success';
  return successes === 0 ? 'failure' : 'partial_success';
}

/**
 * Drydock's align_result over completed subtasks: each success or partial
 * success counts as a success, each failure or partial success as a failure;
 * no subtask at all is success.
 */
export function alignResults(results: readonly (string | null)[]): ActionResult {
  let ok = false;
  let bad = false;
  for (const r of results) {
    if (r === 'success' || r === 'partial_success') ok = true;
    if (r === 'failure' || r === 'partial_success') bad = true;
  }
  // Subtasks that ended without any result count as a failure (Drydock
  // leaves such a parent 'incomplete' although it is complete).
  if (!ok && !bad) return results.length === 0 ? 'success' : 'failure';
  return nodesResult(ok ? 1 : 0, bad ? 1 : 0);
}
