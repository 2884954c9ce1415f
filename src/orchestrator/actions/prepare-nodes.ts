import { nodePlanStep } from '../node-plan.ts';

/**
 * Drydock's PrepareNodes: PXE boot and power cycle through the node's OOB
 * driver, identify the node in the provisioner, commission it (retried up
 * to 3 times, as Drydock), then interrogate it for its build data.
 *
 * Differences from Drydock: Drydock splits a multi-node task into one
 * prepare_nodes subtask per node; here each phase is one subtask per driver
 * over all nodes, whose nodes progress independently within the phase.
 * Drydock's identify_node retries with sleeps until its timeout; here the
 * node driver answers `pending` until the node is identified. Drydock's
 * pre-check that skips OOB for nodes the provisioner already knows is not
 * done (yet).
 */
export const prepareNodesStep = nodePlanStep({
  phases: [
    { action: 'set_node_boot' },
    { action: 'power_cycle_node' },
    { action: 'identify_node' },
    { action: 'configure_hardware', retries: 3 },
    { action: 'interrogate_node' },
  ],
});
