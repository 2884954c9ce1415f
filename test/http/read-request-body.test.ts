import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/http/env.ts';
import { BodyTimeout, readLimited } from '../../src/core/read-limited.ts';
import { handleError } from '../../src/middleware/error-handler.ts';
import { readJsonBody } from '../../src/http/json-body.ts';
import { requestContext } from '../../src/middleware/request-context.ts';
import { buildTestApp, jsonOf } from '../helpers/app.ts';

/** A JSON endpoint built the way route modules build theirs. */
async function echoApp(env: Record<string, string> = {}) {
  const { services, logs } = await buildTestApp({ env });
  const app = new Hono<AppEnv>();
  app.use('*', requestContext(services));
  app.post('/echo', async (c) => c.json({ got: (await readJsonBody(c)) ?? null }));
  app.onError(handleError);
  return { app, logs };
}

/** A POST whose body is `stream`, as a runtime hands a streamed request body to the app. */
const streamed = (stream: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  ({ method: 'POST', body: stream, headers: { 'Content-Type': 'application/json', ...headers }, duplex: 'half' }) as RequestInit;

describe('request body deadline', () => {
  it('answers 408 in the envelope when the body stops arriving', async () => {
    const { app } = await echoApp({ REQUEST_BODY_TIMEOUT_MS: '150' });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":'));
      },
    });
    const res = await app.request('/echo', streamed(stream, { 'X-Context-Marker': 'stalled' }));
    expect(res.status).toBe(408);
    expect(await jsonOf(res)).toMatchObject({
      kind: 'Status',
      reason: 'RequestTimeout',
      code: 408,
      message: 'Request body not received within 150 ms',
    });
  });

  it('counts a trickle against the same deadline', async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        return new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            controller.enqueue(new Uint8Array([0x20]));
            resolve();
          }, 20);
        });
      },
    });
    const body = { headers: new Headers(), body: stream };
    await expect(readLimited(body, 1_000_000, { timeoutMs: 200 })).rejects.toBeInstanceOf(BodyTimeout);
    clearTimeout(timer);
  });

  it('reads a body that arrives in time, whole', async () => {
    const { app } = await echoApp({ REQUEST_BODY_TIMEOUT_MS: '1000' });
    const parts = ['{"a":', '[1,2', ']}'];
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 10));
        const part = parts.shift();
        if (part === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(part));
      },
    });
    expect(await jsonOf(await app.request('/echo', streamed(stream)))).toEqual({ got: { a: [1, 2] } });
  });
});

describe('a client that goes away mid-body', () => {
  it('is logged at debug, not as an unhandled error, and answered 400', async () => {
    const { app, logs } = await echoApp();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"a":'));
      },
      pull(controller) {
        // What @hono/node-server's body stream does when the socket closes.
        controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      },
    });
    const res = await app.request('/echo', streamed(stream, { 'X-Context-Marker': 'gone' }));
    expect(res.status).toBe(400);
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(logs.find((l) => l.record.msg === 'client aborted the request body')).toMatchObject({
      level: 'debug',
      record: { req_id: 'gone', error: 'aborted' },
    });
  });
});
