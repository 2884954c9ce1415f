import { NO_KUBERNETES } from '../driver-pick.ts';
import { nodePlanStep } from '../node-plan.ts';
import { complete, taskMessage } from '../step.ts';

/** Drydock's RelabelNodes: relabel the nodes through the Kubernetes driver. */
export const relabelNodesStep = nodePlanStep({
  phases: [{ action: 'relabel_node' }],
  precondition: (ctx) =>
    ctx.drivers.kubernetes
      ? null
      : complete({ status: 'failure', message: NO_KUBERNETES, reason: 'Bad Configuration.' }, [
          taskMessage(ctx, NO_KUBERNETES, true),
        ]),
});
