import type { BuildDataStage } from './types.ts';

/**
 * The driver actions (Drydock's objects/fields.py OrchestratorAction values
 * that a driver carries out), each with the kind of driver that runs it. They
 * live with the drivers so that a driver needs nothing from the orchestrator.
 */
export const DRIVER_ACTIONS = {
  // OOB driver
  validate_oob_services: 'oob',
  set_node_boot: 'oob',
  power_cycle_node: 'oob',
  power_off_node: 'oob',
  power_on_node: 'oob',
  interrogate_oob: 'oob',
  // Node driver
  validate_node_services: 'node',
  configure_node_provisioner: 'node',
  create_network_template: 'node',
  configure_user_credentials: 'node',
  identify_node: 'node',
  configure_hardware: 'node',
  interrogate_node: 'node',
  apply_node_networking: 'node',
  apply_node_storage: 'node',
  apply_node_platform: 'node',
  deploy_node: 'node',
  destroy_node: 'node',
  // Kubernetes driver
  relabel_node: 'kubernetes',
} as const;
export type DriverAction = keyof typeof DRIVER_ACTIONS;
export type DriverKind = (typeof DRIVER_ACTIONS)[DriverAction];

/**
 * Actions after which Drydock's MAAS driver saves build data and links it as
 * `detail_logs`: commissioning (PrepareNodes; here interrogate_node) and
 * deployment (DeployNode's `_add_detail_logs(..., 'deploy')`). The
 * orchestrator's driver step and the site agent both collect it then.
 */
export const BUILD_DATA_STAGES: Partial<Record<DriverAction, BuildDataStage>> = { interrogate_node: 'commission', deploy_node: 'deploy' };
