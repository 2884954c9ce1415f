import type { Services } from '../services/types.ts';
import { createOrchestrator, type Orchestrator } from './orchestrator.ts';

/** The orchestrator over a runtime's services; `owner` names this executor in leases. */
export function orchestratorFor(services: Services, owner: string): Orchestrator {
  return createOrchestrator({
    db: services.database.db,
    config: services.config,
    clock: services.clock,
    logger: services.logger.child({ component: 'orchestrator' }),
    drivers: services.drivers,
    scheduler: services.scheduler,
    siteDesign: services.siteDesign,
    fetch: services.fetch,
    owner,
  });
}
