import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/env.ts';
import { readUiSession } from '../http/ui-session.ts';

/**
 * Lets a read-only API route take the web view's session cookie in place of
 * X-Auth-Token: a browser's EventSource cannot send headers. A request with
 * its own token header keeps it; an invalid cookie token leaves no principal,
 * so the route's policy check answers 401 as usual. Only for GET routes: the
 * API has no CSRF tokens, and SameSite=Strict alone is not made to carry writes.
 */
export function acceptSessionCookie() {
  return createMiddleware<AppEnv>(async function acceptSessionCookie(c, next) {
    const hasHeader = c.req.header('X-Auth-Token') !== undefined || c.req.header('Authorization') !== undefined;
    const token = hasHeader ? null : readUiSession(c)?.token;
    if (token && c.req.method === 'GET') {
      const principal = await c.get('services').authenticator.authenticate(token);
      if (principal) c.set('principal', principal);
    }
    await next();
  });
}
