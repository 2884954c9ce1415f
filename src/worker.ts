import type { Hono } from 'hono';
import swaggerUiScript from 'swagger-ui-dist/swagger-ui-bundle.js';
import swaggerUiStylesheet from 'swagger-ui-dist/swagger-ui.css';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './core/config.ts';
import { createD1Database } from './db/d1.ts';
import { ApiError, statusEnvelope } from './core/errors.ts';
import type { AppEnv } from './http/env.ts';
import { createLogger } from './core/log.ts';
import type { Orchestrator } from './orchestrator/orchestrator.ts';
import { createQueueScheduler, isAdvanceMessage, type AdvanceMessage } from './orchestrator/queue-scheduler.ts';
import { createServices, orchestratorFor } from './compose.ts';
import { requestIdFrom } from './middleware/request-context.ts';
import { describeStartupError } from './runtime/startup-error.ts';
import { workersDriverRefusal } from './drivers/workers-refusal.ts';

export interface Env {
  DB: D1Database;
  TASK_QUEUE?: Queue<AdvanceMessage>;
  [variable: string]: unknown;
}

// An events stream ends after this long unless TASK_EVENTS_STREAM_SECONDS says otherwise; its client resumes.
const WORKERS_EVENT_STREAM_SECONDS = '30';

// Built on the first event of an isolate, not at import time, and kept for
// the isolate's life so caches (Keystone validations) outlive one request.
type Built = { app: Hono<AppEnv>; orchestrator: Orchestrator; log: ReturnType<typeof createLogger> } | { error: string };
let built: Built | null = null;

function build(env: Env): Built {
  if (built) return built;
  try {
    const config = loadConfig({ ...env, TASK_EVENTS_STREAM_SECONDS: env['TASK_EVENTS_STREAM_SECONDS'] || WORKERS_EVENT_STREAM_SECONDS });
    const logger = createLogger({ level: config.LOG_LEVEL, fields: { runtime: 'workers' } });
    const refusal = workersDriverRefusal(config);
    if (refusal) throw refusal;
    if (!env.DB) throw new ConfigError('DB', 'the D1 binding is missing (see wrangler.toml)');
    if (!env.TASK_QUEUE) throw new ConfigError('TASK_QUEUE', 'the Queue producer binding is missing (see wrangler.toml)');
    const services = createServices({
      config,
      database: createD1Database(env.DB),
      logger,
      scheduler: createQueueScheduler(env.TASK_QUEUE),
      referenceAssets: async () => ({ script: swaggerUiScript, stylesheet: swaggerUiStylesheet }),
      // No callWakeups: calls are queued in the Queue consumer's isolate and an agent's
      // lease waits in another, so leases look every 500 ms (drivers/remote/call-wakeups.ts).
    });
    built = {
      app: createApp(services),
      orchestrator: orchestratorFor(services, `worker-${crypto.randomUUID()}`),
      log: logger,
    };
  } catch (err) {
    // A configuration error is the operator's to fix: every request says which
    // variable is wrong until it is, instead of an opaque exception.
    built = { error: describeStartupError(err) };
    console.error(JSON.stringify({ level: 'error', msg: built.error }));
  }
  return built;
}

export default {
  async fetch(request, env, ctx) {
    const target = build(env);
    if ('error' in target) {
      const requestId = requestIdFrom(request.headers.get('X-Context-Marker'));
      const body = statusEnvelope(new ApiError('InternalError', target.error));
      return Response.json(body, { status: 500, headers: { 'X-Context-Marker': requestId, 'X-Drydock-Req': requestId } });
    }
    return target.app.fetch(request, env, ctx);
  },

  // Each message asks for one bounded step of one task. A step that throws
  // is retried by the queue with backoff; the cron sweep catches anything lost.
  async queue(batch, env) {
    const target = build(env);
    for (const message of batch.messages) {
      if ('error' in target) {
        message.retry({ delaySeconds: 60 });
        continue;
      }
      if (!isAdvanceMessage(message.body)) {
        target.log.warn('dropping a queue message that names no task', { id: message.id });
        message.ack();
        continue;
      }
      try {
        await target.orchestrator.advance(message.body.taskId);
        message.ack();
      } catch (err) {
        target.log.error('task step failed', { task_id: message.body.taskId, error: String(err) });
        message.retry({ delaySeconds: Math.min(300, 2 ** message.attempts) });
      }
    }
  },

  async scheduled(_controller, env) {
    const target = build(env);
    if ('error' in target) return;
    const scheduled = await target.orchestrator.sweep();
    if (scheduled > 0) target.log.info('sweep scheduled tasks', { count: scheduled });
  },
} satisfies ExportedHandler<Env>;
