import { nodePlanStep } from '../node-plan.ts';

/** Drydock's VerifyNodes: interrogate each node's OOB through the driver of its OOB type. */
export const verifyNodesStep = nodePlanStep({ phases: [{ action: 'interrogate_oob' }] });
