import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../http/env.ts';
import { contextFor, type Services } from '../services/context.ts';

// Drydock's clients send a UUID; accept any short token-like marker so other
// Airship components' markers correlate too, and refuse anything that could
// forge log lines or headers.
const MARKER = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Context-Marker when it is safe to echo and log, else a new UUID. */
export function requestIdFrom(marker: string | null | undefined): string {
  return marker && MARKER.test(marker) ? marker : crypto.randomUUID();
}

function cleanEndUser(value: string | undefined): string | null {
  if (!value) return null;
  const cleaned = value.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 256).trim();
  return cleaned || null;
}

/**
 * Gives every request an id (the caller's X-Context-Marker when it sends a
 * valid one), echoes it in X-Context-Marker and Drydock's X-Drydock-Req,
 * records X-End-User, builds the request's service context (c.get('ctx')),
 * and logs one line per request with its outcome.
 */
export function requestContext(services: Services) {
  return createMiddleware<AppEnv>(async function requestContext(c, next) {
    const requestId = requestIdFrom(c.req.header('X-Context-Marker'));
    const endUser = cleanEndUser(c.req.header('X-End-User'));
    const log = services.logger.child({ req_id: requestId, end_user: endUser });
    c.set('services', services);
    c.set('requestId', requestId);
    c.set('endUser', endUser);
    c.set('log', log);
    c.set('ctx', contextFor(services, { requestId, endUser, log }));
    c.set('principal', null);
    const started = performance.now();
    // Set before the handler runs, these go into every response made through
    // c (c.body, c.json, the error handler's). c.header() on a finished
    // response re-creates it around its body as a stream, which cost a boot
    // data request about a fifth of its time; only a Response a handler
    // built by itself still takes that path.
    c.header('X-Context-Marker', requestId);
    c.header('X-Drydock-Req', requestId);
    await next();
    if (c.res.headers.get('X-Drydock-Req') !== requestId) {
      c.header('X-Context-Marker', requestId);
      c.header('X-Drydock-Req', requestId);
    }
    log.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      user: c.get('principal')?.user ?? null,
    });
  });
}
