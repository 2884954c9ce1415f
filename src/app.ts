import { Hono } from 'hono';
import { API_PREFIX } from './core/app-paths.ts';
import type { AppEnv } from './http/env.ts';
import { handleError } from './middleware/error-handler.ts';
import { methodAwareNotFound } from './middleware/method-routing.ts';
import { requestContext } from './middleware/request-context.ts';
import { agentRoutes } from './routes/agents.ts';
import { apiDocsRoutes } from './routes/api-docs.ts';
import { bootActionRoutes } from './routes/bootactions.ts';
import { designRoutes } from './routes/designs.ts';
import { healthRoutes } from './routes/health.ts';
import { nodeFilterRoutes } from './routes/nodefilter.ts';
import { nodeRoutes } from './routes/nodes.ts';
import { taskEventRoutes } from './routes/task-events.ts';
import { taskRoutes } from './routes/tasks.ts';
import { validationRoutes } from './routes/validation.ts';
import { versionsRoutes } from './routes/versions.ts';
import type { Services } from './services/context.ts';
import { uiRoutes } from './ui/app.ts';

export { API_PREFIX };

/**
 * The whole HTTP API over a set of services. Runtime entries and tests call
 * this; it reads no environment and opens no connection itself.
 * Keystone-guarded routes take requirePolicy(rule); node-facing boot action
 * routes (key-authenticated) and site agents' routes (agent token) mount
 * beside them without it.
 */
export function createApp(services: Services): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(services));
  app.route('/', versionsRoutes);
  app.route(API_PREFIX, healthRoutes);
  app.route(API_PREFIX, validationRoutes);
  app.route(API_PREFIX, nodeFilterRoutes);
  app.route(API_PREFIX, designRoutes);
  app.route(API_PREFIX, taskRoutes);
  app.route(API_PREFIX, taskEventRoutes);
  app.route(API_PREFIX, nodeRoutes);
  app.route(API_PREFIX, bootActionRoutes);
  app.route(API_PREFIX, agentRoutes);
  app.route('/', uiRoutes());
  app.route(API_PREFIX, apiDocsRoutes(app, services.referenceAssets));
  app.notFound(methodAwareNotFound(app));
  app.onError(handleError);
  return app;
}
