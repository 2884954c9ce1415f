import { sitePlanStep } from '../site-plan.ts';

/**
 * Drydock's VerifySite checks the node driver's services; here each enabled
 * OOB driver's services are checked beside it.
 */
export const verifySiteStep = sitePlanStep((drivers) => [
  [
    { action: 'validate_node_services' },
    ...drivers.oob.map((d) => ({ action: 'validate_oob_services' as const, driver: d.name })),
  ],
]);
