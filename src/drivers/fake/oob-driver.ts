import type { DriverAction } from '../actions.ts';
import type { OobDriver } from '../types.ts';
import { OOB_PLANS } from './oob-plans.ts';
import { actionsOf, runPlan } from './run.ts';

/**
 * The fake lab's BMCs. Drydock picks an OOB driver by the node's `oob.type`;
 * the lab simulates every type Drydock knows (ipmi, redfish, libvirt,
 * manual) and its own `fake`, except those another enabled driver claims
 * (createDrivers passes the rest), so OOB_DRIVER=fake,manual leaves
 * `manual` nodes to the manual driver.
 */
export const FAKE_OOB_TYPES = ['ipmi', 'redfish', 'libvirt', 'manual', 'fake'] as const;

export function createFakeOobDriver(oobTypes: readonly string[] = FAKE_OOB_TYPES): OobDriver {
  return {
    name: 'fake',
    oobTypes,
    actions: actionsOf('oob'),
    async run(ctx, action: DriverAction, node) {
      if (action === 'validate_oob_services') {
        return { state: 'done', detail: 'The fake lab BMCs are simulated in-process; OOB needs no services.' };
      }
      return runPlan(ctx, 'fake OOB driver', OOB_PLANS, action, node);
    },
    async health() {
      return 'fake lab BMCs are in-process';
    },
  };
}
