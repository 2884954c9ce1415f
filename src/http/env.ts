import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../core/log.ts';
import type { ServiceContext, Services } from '../services/context.ts';

/** Hono typing shared by the app, middleware and route modules. */
export interface AppEnv {
  Variables: {
    /** The app-wide services, for middleware (authentication, policy, body limits); routes use `ctx`. */
    services: Services;
    /** The request's service context (services/context.ts contextFor): what routes pass to services. */
    ctx: ServiceContext;
    requestId: string;
    endUser: string | null;
    log: Logger;
    principal: Principal | null;
  };
}
