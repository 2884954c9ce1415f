import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../core/log.ts';
import type { Services } from '../services/context.ts';

/** Hono typing shared by the app, middleware and route modules. */
export interface AppEnv {
  Variables: {
    services: Services;
    requestId: string;
    endUser: string | null;
    log: Logger;
    principal: Principal | null;
  };
}
