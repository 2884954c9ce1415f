import { createMiddleware } from 'hono/factory';
import { authorize } from '../http/authorize.ts';
import type { AppEnv } from '../http/env.ts';

/** Guards a route with an oslo-style policy rule (see authorize): 401 without a credential, 403 when the rule refuses. */
export function requirePolicy(rule: string) {
  return createMiddleware<AppEnv>(async function requirePolicy(c, next) {
    await authorize(c, rule);
    await next();
  });
}
