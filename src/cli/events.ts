/**
 * The task events stream (GET /tasks/{id}/events, README "Task events")
 * as an async sequence: parsed with eventsource-parser, resumed with
 * Last-Event-ID whenever the server ends the stream before `end` (Workers
 * end it after ~30 s), and given up after a few connection failures in a row.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { EndEventData, MessageEventData, TaskEventData } from '../core/task-events.ts';
import { CliError, connectionError } from './errors.ts';
import type { ApiClient } from './http-client.ts';

export type TaskEvent =
  | { type: 'task'; data: TaskEventData }
  | { type: 'message'; data: MessageEventData }
  | { type: 'end'; data: EndEventData };

export interface StreamOptions {
  /** Connection failures in a row before giving up (default 5). */
  maxFailures?: number;
  /** The wait before a reconnect when the server names none (default 1000 ms). */
  retryMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function toEvent(m: EventSourceMessage): TaskEvent | null {
  if (m.event !== 'task' && m.event !== 'message' && m.event !== 'end') return null;
  try {
    return { type: m.event, data: JSON.parse(m.data) } as TaskEvent;
  } catch {
    return null;
  }
}

/** One connection: the events it delivers until it ends; the last id and retry it named. */
async function* connection(res: Response, state: { lastId: string | null; retryMs: number }): AsyncGenerator<TaskEvent> {
  const pending: TaskEvent[] = [];
  const parser = createParser({
    onEvent(m) {
      if (m.id !== undefined) state.lastId = m.id;
      const event = toEvent(m);
      if (event) pending.push(event);
    },
    onRetry(ms) {
      state.retryMs = ms;
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (pending.length) yield pending.shift()!;
  }
}

export async function* taskEvents(client: ApiClient, taskId: string, options: StreamOptions = {}): AsyncGenerator<TaskEvent> {
  const maxFailures = options.maxFailures ?? 5;
  const sleep = options.sleep ?? defaultSleep;
  const state = { lastId: null as string | null, retryMs: options.retryMs ?? 1000 };
  let failures = 0;
  for (;;) {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (state.lastId !== null) headers['last-event-id'] = state.lastId;
    try {
      const res = await client.open(`/tasks/${encodeURIComponent(taskId)}/events`, { headers });
      for await (const event of connection(res, state)) {
        failures = 0;
        yield event;
        if (event.type === 'end') return;
      }
    } catch (err) {
      // An answer of the API (401, 404) ends the watch; a broken connection is retried.
      if (err instanceof CliError && err.exitCode !== 2) throw err;
      if (++failures >= maxFailures) {
        throw err instanceof CliError ? err : connectionError(`The events stream of task ${taskId} broke off ${failures} times`);
      }
    }
    await sleep(state.retryMs);
  }
}
