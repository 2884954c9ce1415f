import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.ts';
import type { AppEnv } from '../../src/http/env.ts';
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
  app.get('/boom', () => {
    throw new Error('database password=hunter2 leaked in a driver message');
  });
  app.get('/conflict', () => {
    throw new ApiError('Conflict', 'Already final', { details: [{ message: 'one' }, { message: 'two', error: false }] });
  });
  app.onError(handleError);
  return { app, logs };
}

const post = (body: BodyInit, headers: Record<string, string>) => ({ method: 'POST', body, headers });

describe('JSON request bodies', () => {
  it('parses a JSON body', async () => {
    const { app } = await echoApp();
    const res = await app.request('/echo', post('{"a":1}', { 'Content-Type': 'application/json; charset=utf-8' }));
    expect(await jsonOf(res)).toEqual({ got: { a: 1 } });
  });

  it('answers malformed JSON with 400 without quoting the body', async () => {
    const { app } = await echoApp();
    const res = await app.request('/echo', post('{"token": "abc', { 'Content-Type': 'application/json' }));
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ kind: 'Status', code: 400, message: 'Request body is not valid JSON' });
    expect(text).not.toContain('abc');
  });

  it('answers a body that is not application/json with 415', async () => {
    const { app } = await echoApp();
    const res = await app.request('/echo', post('a: 1', { 'Content-Type': 'application/x-yaml' }));
    expect(res.status).toBe(415);
    expect(await jsonOf(res)).toMatchObject({ reason: 'UnsupportedMediaType', code: 415 });
  });

  it('answers a body over MAX_BODY_BYTES with 413, by declared length', async () => {
    const { app } = await echoApp({ MAX_BODY_BYTES: '16' });
    const res = await app.request('/echo', post('{"a":"0123456789abcdef"}', { 'Content-Type': 'application/json' }));
    expect(res.status).toBe(413);
  });

  it('answers a streamed body that grows past the limit with 413', async () => {
    const { app } = await echoApp({ MAX_BODY_BYTES: '1024' });
    const chunk = new TextEncoder().encode('x'.repeat(512));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 10) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await app.request('/echo', {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(10);
  });
});

describe('JSON nesting depth', () => {
  const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);
  const json = (body: string) => post(body, { 'Content-Type': 'application/json' });

  it('answers 400 for a body nested deeper than MAX_JSON_DEPTH, before parsing it', async () => {
    const { app } = await echoApp();
    for (const body of [nested(65), `{"a": ${nested(5000)}}`, '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)]) {
      const res = await app.request('/echo', json(body));
      expect(res.status).toBe(400);
      expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 400, message: 'Request body is nested deeper than 64 levels' });
    }
  });

  it('accepts a body exactly at the limit, and follows the setting', async () => {
    const { app } = await echoApp();
    expect((await app.request('/echo', json(nested(64)))).status).toBe(200);
    const { app: strict } = await echoApp({ MAX_JSON_DEPTH: '3' });
    expect((await strict.request('/echo', json('{"a": [{"b": 1}]}'))).status).toBe(200);
    expect((await strict.request('/echo', json('{"a": [{"b": [1]}]}'))).status).toBe(400);
  });

  it('does not count brackets inside strings, escaped quotes included', async () => {
    const { app } = await echoApp({ MAX_JSON_DEPTH: '2' });
    const body = JSON.stringify({ a: ['[[[{{{', 'say \\"[[[\\" ok', '\\'], b: '{'.repeat(100) });
    const res = await app.request('/echo', json(body));
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).got).toEqual(JSON.parse(body));
  });
});

describe('error envelope', () => {
  it('answers an unexpected failure with 500 naming the request id and no internals', async () => {
    const { app, logs } = await echoApp();
    const res = await app.request('/boom', { headers: { 'X-Context-Marker': 'req-42' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ code: 500, reason: 'InternalError', message: 'Internal error; request id req-42' });
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/at .*\.ts/);
    expect(logs.some((l) => l.level === 'error' && l.record.req_id === 'req-42')).toBe(true);
  });

  it('counts error details in errorCount and keeps non-error details', async () => {
    const { app } = await echoApp();
    const body = await jsonOf(await app.request('/conflict'));
    expect(body.code).toBe(409);
    expect(body.details).toEqual({
      errorCount: 1,
      messageList: [
        { message: 'one', error: true },
        { message: 'two', error: false },
      ],
    });
  });
});
