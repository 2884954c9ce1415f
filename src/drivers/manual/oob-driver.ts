import { DRIVER_ACTIONS, type DriverAction } from '../actions.ts';
import type { OobDriver } from '../types.ts';

const BY_HAND: Partial<Record<DriverAction, string>> = {
  set_node_boot: 'set to PXE boot',
  power_cycle_node: 'power cycle',
  power_on_node: 'power on',
  power_off_node: 'power off',
  interrogate_oob: 'check the BMC of',
};

/**
 * Drydock's manual (noop) OOB driver, for nodes whose `oob.type` is
 * `manual`: Drydock does nothing to the hardware and reports success, but
 * blocks a worker for 60 seconds per action "to allow time for" the operator.
 * Here every action is done at once, its detail telling the operator what to
 * do by hand; the orchestrator never sleeps.
 */
export function createManualOobDriver(): OobDriver {
  return {
    name: 'manual',
    oobTypes: ['manual'],
    actions: new Set((Object.keys(DRIVER_ACTIONS) as DriverAction[]).filter((a) => DRIVER_ACTIONS[a] === 'oob')),
    async run(_ctx, action, node) {
      if (action === 'validate_oob_services') {
        return { state: 'done', detail: 'The manual OOB driver needs no services: an operator handles power and boot.' };
      }
      const verb = BY_HAND[action];
      if (!verb) return { state: 'failed', reason: `The manual OOB driver does not carry out ${action}.` };
      if (!node) return { state: 'failed', reason: `${action} acts on a node, and none was given.` };
      return { state: 'done', detail: `Manual OOB: an operator must ${verb} node ${node.name} by hand.` };
    },
    async health() {
      return 'manual OOB driver: nothing to reach, an operator acts by hand';
    },
  };
}
