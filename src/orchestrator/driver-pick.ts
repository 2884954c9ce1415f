import type { BaremetalNode } from '../design/model.ts';
import type { Drivers, KubernetesDriver, NodeDriver, OobDriver } from '../drivers/types.ts';
import { DRIVER_ACTIONS, type DriverAction } from '../drivers/actions.ts';

export type AnyDriver = NodeDriver | OobDriver | KubernetesDriver;

/** Drydock's _get_driver('oob', oob_type): the first enabled OOB driver serving the type. */
export function oobDriverFor(drivers: Drivers, oobType: string | null): OobDriver | null {
  if (oobType === null) return null;
  return drivers.oob.find((d) => d.oobTypes.includes(oobType)) ?? null;
}

/**
 * The driver for an action. OOB actions name their driver (a subtask per OOB
 * driver, as Drydock partitions nodes by OOB type); without a name the node's
 * OOB type decides.
 */
export function driverFor(
  drivers: Drivers,
  action: DriverAction,
  named: string | undefined,
  node: BaremetalNode | null,
): AnyDriver | null {
  switch (DRIVER_ACTIONS[action]) {
    case 'node':
      return drivers.node;
    case 'kubernetes':
      return drivers.kubernetes;
    case 'oob':
      if (named !== undefined) return drivers.oob.find((d) => d.name === named) ?? null;
      return oobDriverFor(drivers, node?.oob.type ?? null);
  }
}

export const isDriverAction = (action: string): action is DriverAction => Object.hasOwn(DRIVER_ACTIONS, action);

/** Driver actions about the site as a whole: called once, with no node. */
export const SITE_ACTIONS: ReadonlySet<DriverAction> = new Set<DriverAction>([
  'validate_node_services',
  'validate_oob_services',
  'configure_node_provisioner',
  'create_network_template',
  'configure_user_credentials',
]);

export const NO_KUBERNETES = 'no kubernetes driver enabled';
