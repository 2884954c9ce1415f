import { createParser } from 'eventsource-parser';

/** One event of GET /tasks/{id}/events as a client reads it. */
export interface StreamedEvent {
  seq: number;
  type: string;
  data: any;
}

export interface FollowedStream {
  events: StreamedEvent[];
  /** Responses read: 1 when the first stream lasted to `end`. */
  connections: number;
  /** The Last-Event-ID each reconnection sent. */
  resumedFrom: number[];
  /** `retry:` values the server sent. */
  retries: number[];
}

/**
 * Follows a task's events stream as an EventSource does: reads each response
 * to its end and, until an `end` event came, connects again with
 * Last-Event-ID set to the last id seen.
 */
export async function followTaskEvents(
  url: string,
  headers: Record<string, string>,
  waitMs = 60_000,
  /** Stop after this many responses even without `end`. */
  maxConnections = Infinity,
): Promise<FollowedStream> {
  const out: FollowedStream = { events: [], connections: 0, resumedFrom: [], retries: [] };
  const deadline = Date.now() + waitMs;
  let lastId: number | null = null;
  while (out.events.at(-1)?.type !== 'end' && out.connections < maxConnections) {
    if (Date.now() > deadline) throw new Error(`no end event within ${waitMs} ms: ${JSON.stringify(out.events.slice(-3))}`);
    if (out.connections > 0) {
      // As an EventSource: wait what the server asked before connecting again.
      await new Promise((r) => setTimeout(r, Math.min(out.retries.at(-1) ?? 100, 1000)));
      if (lastId !== null) out.resumedFrom.push(lastId);
    }
    const res = await fetch(url, {
      headers: { Accept: 'text/event-stream', ...headers, ...(lastId === null ? {} : { 'Last-Event-ID': String(lastId) }) },
    });
    if (res.status !== 200 || !res.body) throw new Error(`events answered ${res.status}: ${await res.text()}`);
    out.connections++;
    const parser = createParser({
      onEvent: (e) => {
        out.events.push({ seq: Number(e.id), type: e.event ?? 'message', data: JSON.parse(e.data) });
        lastId = Number(e.id);
      },
      onRetry: (ms) => out.retries.push(ms),
    });
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
  }
  return out;
}
