/**
 * Server-Sent Events framing (the WHATWG event-stream format) over a
 * ReadableStream: a response any runtime can stream (Node's adapter,
 * Deno, workerd). The writer stops when the client goes away: `signal`
 * aborts when the stream is cancelled.
 */
const encoder = new TextEncoder();

export interface SseSink {
  /** One event; `data` is sent as one line of JSON. */
  event(id: number, type: string, data: unknown): void;
  /** A comment line (`: text`), which clients ignore: keeps proxies and idle timers from closing the stream. */
  comment(text: string): void;
  /** How long a client waits before it reconnects once the stream ends. */
  retry(ms: number): void;
  readonly signal: AbortSignal;
}

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // nginx and similar proxies buffer responses unless told not to.
  'X-Accel-Buffering': 'no',
};

/** A stream that `write` fills and that closes when it returns (or throws: then `onError` hears why). */
export function sseStream(write: (sink: SseSink) => Promise<void>, onError: (err: unknown) => void): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (abort.signal.aborted) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          abort.abort();
        }
      };
      const sink: SseSink = {
        event: (id, type, data) => send(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`),
        comment: (text) => send(`: ${text}\n\n`),
        retry: (ms) => send(`retry: ${ms}\n\n`),
        signal: abort.signal,
      };
      void write(sink)
        .catch(onError)
        .finally(() => {
          if (abort.signal.aborted) return;
          abort.abort();
          controller.close();
        });
    },
    cancel() {
      abort.abort();
    },
  });
}
