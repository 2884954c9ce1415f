import { nodePlanStep, type NodePhase } from '../node-plan.ts';

/**
 * Drydock's DeployNodes: networking, storage, platform, then deploy (retried
 * up to 3 times, as Drydock), each phase on the nodes that passed the
 * previous one. Drydock does not register the storage subtask with its
 * parent (it is missing from the task tree); here every phase is a subtask.
 */
export const DEPLOY_PHASES: NodePhase[] = [
  { action: 'apply_node_networking' },
  { action: 'apply_node_storage' },
  { action: 'apply_node_platform' },
  { action: 'deploy_node', retries: 3 },
  // ── HOOK (next issue): Drydock's BootactionReport ──────────────────────
  // After deploy_node, Drydock waits for the deployed nodes' boot action
  // reports (success / failure / timeout per node). Add it here as a phase
  // on the nodes that deployed: give it its own subtask action and register
  // a subtask step for that action in ../dispatch.ts (SUBTASK_STEPS) that
  // polls boot_action_status for its nodes and completes each node when all
  // its actions are final or bootaction_final_status has passed.
];

export const deployNodesStep = nodePlanStep({ phases: DEPLOY_PHASES });
