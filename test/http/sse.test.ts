import { describe, expect, it } from 'vitest';
import { sseStream } from '../../src/http/sse.ts';

const decoder = new TextDecoder();

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
  return text;
}

describe('sseStream', () => {
  it('frames events as id, event and one data line of JSON, comments and retry, and closes when the writer returns', async () => {
    const stream = sseStream(async (sink) => {
      sink.event(7, 'message', { message: 'two\nlines', n: 1 });
      sink.comment('keepalive');
      sink.retry(1000);
    }, () => {});
    expect(await readAll(stream)).toBe(
      'id: 7\nevent: message\ndata: {"message":"two\\nlines","n":1}\n\n: keepalive\n\nretry: 1000\n\n',
    );
  });

  it('aborts the writer\'s signal when the client goes away, so its loop stops', async () => {
    let signal: AbortSignal | undefined;
    let stopped = false;
    const stream = sseStream(async (sink) => {
      signal = sink.signal;
      while (!sink.signal.aborted) await new Promise((r) => setTimeout(r, 5));
      stopped = true;
    }, () => {});
    const reader = stream.getReader();
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect(signal?.aborted).toBe(true);
    expect(stopped).toBe(true);
  });

  it('hands a failure of the writer to onError and still closes the stream', async () => {
    const errors: unknown[] = [];
    const stream = sseStream(async (sink) => {
      sink.event(1, 'task', {});
      throw new Error('database gone');
    }, (err) => errors.push(err));
    expect(await readAll(stream)).toBe('id: 1\nevent: task\ndata: {}\n\n');
    expect(errors).toEqual([new Error('database gone')]);
  });
});
