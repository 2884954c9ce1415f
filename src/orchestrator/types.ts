/**
 * Drydock's task vocabulary (objects/fields.py), shared by the task API and the
 * orchestrator (the driver actions are in drivers/actions.ts). Values are
 * Drydock's wire strings.
 */
import type { DriverAction } from '../drivers/actions.ts';

export const TASK_STATUSES = ['requested', 'queued', 'running', 'terminating', 'terminated', 'complete'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** A final task takes no more steps; only final tasks (and their subtasks, all final) may be removed by age. */
export const FINAL_STATUSES: readonly TaskStatus[] = ['complete', 'terminated'];
/** A live task still takes steps: the orchestrator leases and advances it, and it can be terminated. */
export const LIVE_STATUSES: readonly TaskStatus[] = ['requested', 'queued', 'running', 'terminating'];

export const ACTION_RESULTS = ['incomplete', 'success', 'partial_success', 'failure', 'unreported'] as const;
export type ActionResult = (typeof ACTION_RESULTS)[number];

/** What an operator may POST to /tasks; each has its own policy rule `physical_provisioner:<action>`. */
export const TOP_LEVEL_ACTIONS = [
  'validate_design',
  'verify_site',
  'prepare_site',
  'verify_nodes',
  'prepare_nodes',
  'deploy_nodes',
  'destroy_nodes',
  'relabel_nodes',
] as const;
export type TopLevelAction = (typeof TOP_LEVEL_ACTIONS)[number];

export type TaskAction = TopLevelAction | DriverAction;

/** Subtask actions the orchestrator carries out itself (dispatch.ts SUBTASK_STEPS), not a driver. */
export const ORCHESTRATOR_ACTIONS = ['bootaction_report'] as const;
export type OrchestratorAction = (typeof ORCHESTRATOR_ACTIONS)[number];
