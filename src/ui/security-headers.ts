import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/env.ts';

/**
 * Same origin only, and no inline script or style at all: the pages load
 * /ui/static/app.css and app.js, and the live updates reach only this
 * origin (connect-src). No framing, no plugins, forms post only here.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function uiSecurityHeaders() {
  return createMiddleware<AppEnv>(async function uiSecurityHeaders(c, next) {
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
    // Pages show live state and the signed-in user's data: never from a cache. Set before the handler (see request-context.ts).
    if (!c.req.path.startsWith('/ui/static/')) c.header('Cache-Control', 'no-store');
    await next();
  });
}
