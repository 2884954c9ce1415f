import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import { authorize } from '../http/authorize.ts';
import type { AppEnv } from '../http/env.ts';

/** The rule of each guard requirePolicy made, so the API document can name a route's rule from the route itself. */
const RULES = new WeakMap<MiddlewareHandler, string>();

/** Guards a route with an oslo-style policy rule (see authorize): 401 without a credential, 403 when the rule refuses. */
export function requirePolicy(rule: string) {
  const guard = createMiddleware<AppEnv>(async function requirePolicy(c, next) {
    await authorize(c, rule);
    await next();
  });
  RULES.set(guard, rule);
  return guard;
}

/** The rule of a route handler that requirePolicy made; undefined for any other handler. */
export function policyRuleOf(handler: unknown): string | undefined {
  return typeof handler === 'function' ? RULES.get(handler as MiddlewareHandler) : undefined;
}
