import { Hono } from 'hono';
import type { AppEnv } from './http/env.ts';
import { handleError } from './middleware/error-handler.ts';
import { methodAwareNotFound } from './middleware/method-routing.ts';
import { requestContext } from './middleware/request-context.ts';
import { healthRoutes } from './routes/health.ts';
import { versionsRoutes } from './routes/versions.ts';
import type { Services } from './services/types.ts';

export const API_PREFIX = '/api/v1.0';

/**
 * The whole HTTP API over a set of services. Runtime entries and tests call
 * this; it reads no environment and opens no connection itself.
 * Keystone-guarded routes take requirePolicy(rule); node-facing boot action
 * routes (key-authenticated) mount beside them without it.
 */
export function createApp(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(services));
  app.route('/', versionsRoutes);
  app.route(API_PREFIX, healthRoutes);
  app.notFound(methodAwareNotFound(app));
  app.onError(handleError);
  return app;
}
