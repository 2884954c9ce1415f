import { sitePlanStep } from '../site-plan.ts';

/**
 * Drydock's PrepareSite: network templates, then user credentials, then the
 * node provisioner, one after another, each whatever the previous result.
 */
export const prepareSiteStep = sitePlanStep(() => [
  [{ action: 'create_network_template' }],
  [{ action: 'configure_user_credentials' }],
  [{ action: 'configure_node_provisioner' }],
]);
