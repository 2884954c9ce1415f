import { deliverBootActionContexts } from '../bootaction-deliver.ts';
import { nodePlanStep, type NodePhase } from '../node-plan.ts';

/**
 * Drydock's DeployNodes: networking, storage, platform, then deploy (retried
 * up to 3 times, as Drydock), each phase on the nodes that passed the
 * previous one. Drydock does not register the storage subtask with its
 * parent (it is missing from the task tree); here every phase is a subtask.
 * Boot action contexts are created as deploy_node starts, and the last
 * phase waits for the nodes' boot action reports.
 */
export const DEPLOY_PHASES: NodePhase[] = [
  { action: 'apply_node_networking' },
  { action: 'apply_node_storage' },
  { action: 'apply_node_platform' },
  { action: 'deploy_node', retries: 3, before: deliverBootActionContexts },
  // Drydock's BootactionReport: the deployed nodes' boot action reports
  // (success, failure or timeout per node), waited for without sleeping.
  { action: 'bootaction_report' },
];

export const deployNodesStep = nodePlanStep({ phases: DEPLOY_PHASES });
