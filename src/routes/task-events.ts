/**
 * GET /tasks/{id}/events (docs in the README's "Task events"): the task
 * tree's changes as Server-Sent Events, or as a JSON long poll for clients
 * without SSE. Same policy as GET /tasks/{id}.
 */
import { Hono, type Context } from 'hono';
import { anySignal } from '../core/abort.ts';
import type { AppEnv } from '../http/env.ts';
import { LastEventIdHeader, TaskEventsQuery } from '../http/schemas/tasks.ts';
import { SSE_HEADERS, sseStream, type SseSink } from '../http/sse.ts';
import { parseInput, validQuery } from '../http/validate.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { acceptSessionCookie } from '../middleware/session-cookie.ts';
import type { ServiceContext } from '../services/context.ts';
import { openEventCursor, waitForEvents, type EventCursor } from '../services/tasks/index.ts';
import { taskIdParam } from './tasks.ts';

export const taskEventRoutes = new Hono<AppEnv>();

/** A comment at least this often keeps idle proxies (and Workers' idle limit) from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;
/** What a client waits before it resumes a stream that ended. */
const RETRY_MS = 1000;

function wantsJson(c: Context<AppEnv>, format: 'json' | 'sse' | null): boolean {
  if (format !== null) return format === 'json';
  const accept = c.req.header('Accept') ?? '';
  return accept.includes('application/json') && !accept.includes('text/event-stream');
}

/**
 * Events until the task ends (then `end`, then close), or until the stream's
 * time is up or the process stops (then `retry`, then close: the client resumes).
 */
async function streamEvents(ctx: ServiceContext, cursor: EventCursor, sink: SseSink): Promise<void> {
  const deadline = Date.now() + ctx.config.TASK_EVENTS_STREAM_SECONDS * 1000;
  const { stopping } = ctx;
  const ended = stopping ? anySignal(sink.signal, stopping) : sink.signal;
  let lastWrite = Date.now();
  while (!sink.signal.aborted) {
    const left = deadline - Date.now();
    if (left <= 0 || stopping?.aborted) return sink.retry(RETRY_MS);
    const quiet = Math.max(0, KEEPALIVE_MS - (Date.now() - lastWrite));
    const events = await waitForEvents(ctx, cursor, Math.min(left, quiet), ended);
    for (const e of events) sink.event(e.seq, e.type, e.data);
    if (cursor.done) return;
    if (events.length > 0) lastWrite = Date.now();
    else if (Date.now() - lastWrite >= KEEPALIVE_MS) {
      sink.comment('keepalive');
      lastWrite = Date.now();
    }
  }
}

// The web view's EventSource carries its session cookie, not a token header (GET only; a header wins).
taskEventRoutes.get('/tasks/:id/events', acceptSessionCookie(), requirePolicy('physical_provisioner:read_task'), async (c) => {
  const id = taskIdParam(c);
  const query = validQuery(c, TaskEventsQuery);
  // An EventSource resuming sends Last-Event-ID with its original URL (and its ?after): the header wins.
  const header = c.req.header('Last-Event-ID');
  const after = header === undefined ? query.after : parseInput(LastEventIdHeader, { after: header }).after;
  const ctx = c.get('ctx');
  const cursor = await openEventCursor(ctx, id, after);
  if (wantsJson(c, query.format)) {
    const ended = ctx.stopping ? anySignal(c.req.raw.signal, ctx.stopping) : c.req.raw.signal;
    const events = await waitForEvents(ctx, cursor, query.wait * 1000, ended);
    return c.json({ events, last_seq: cursor.after, done: cursor.done });
  }
  const log = c.get('log');
  const stream = sseStream(
    (sink) => streamEvents(ctx, cursor, sink),
    (err) => log.error('task events stream failed', { task_id: id, error: err instanceof Error ? err.message : String(err) }),
  );
  return c.body(stream, 200, SSE_HEADERS);
});
