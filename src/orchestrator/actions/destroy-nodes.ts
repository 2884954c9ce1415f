import { nodePlanStep } from '../node-plan.ts';

/** Drydock's DestroyNodes: release the nodes through the node driver, retried up to 3 times. */
export const destroyNodesStep = nodePlanStep({ phases: [{ action: 'destroy_node', retries: 3 }] });
