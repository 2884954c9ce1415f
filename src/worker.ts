import type { Hono } from 'hono';
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createD1Database } from './db/d1.ts';
import { ApiError, statusEnvelope } from './errors.ts';
import type { AppEnv } from './http/env.ts';
import { createLogger } from './log.ts';
import { createServices } from './services/create.ts';
import { requestIdFrom } from './middleware/request-context.ts';
import { describeStartupError } from './runtime/startup-error.ts';

export interface Env {
  DB: D1Database;
  TASK_QUEUE?: Queue<unknown>;
  [variable: string]: unknown;
}

// Built on the first event of an isolate, not at import time, and kept for
// the isolate's life so caches (Keystone validations) outlive one request.
let built: { app: Hono<AppEnv> } | { error: string } | null = null;

function build(env: Env): { app: Hono<AppEnv> } | { error: string } {
  if (built) return built;
  try {
    const config = loadConfig(env);
    const logger = createLogger({ level: config.LOG_LEVEL, fields: { runtime: 'workers' } });
    if (!env.DB) throw new ConfigError('DB', 'the D1 binding is missing (see wrangler.toml)');
    const services = createServices({ config, database: createD1Database(env.DB), logger });
    built = { app: createApp(services) };
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

  // The task orchestrator consumes this queue. Until it exists nothing
  // produces messages; any that arrive are kept (retried later), not dropped.
  async queue(batch) {
    for (const message of batch.messages) message.retry({ delaySeconds: 300 });
  },

  async scheduled() {
    // The cron sweep of due and abandoned tasks belongs to the orchestrator.
  },
} satisfies ExportedHandler<Env>;
