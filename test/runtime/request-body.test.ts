import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, parseAnswer, readAnswer, startPost } from '../helpers/raw-http.ts';
import { NODE_ENTRY, startServer, type Server } from '../helpers/spawn.ts';

// Request bodies over a raw socket against a real Node server: a declared
// body that never arrives used to hold the request for as long as the client
// liked, and a client that went away mid-body was logged as an unhandled error.

let dir: string;
let server: Server;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-body-'));
  server = await startServer(NODE_ENTRY, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'd.db')}`,
    AUTH_MODE: 'none',
    LOG_LEVEL: 'debug',
    REQUEST_BODY_TIMEOUT_MS: '1000',
  });
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('request bodies on Node', () => {
  it('answers 408 in the error envelope when a declared body does not arrive in time', async () => {
    const socket = await openSocket(server.port);
    startPost(socket, '/api/v1.0/tasks', { 'X-Context-Marker': 'body-stall' }, 200, '{"action": "valid');
    // Before the fix nothing came back (Node's own requestTimeout is 300 s).
    const answer = await readAnswer(socket, 6000);
    // The server then lets the connection go rather than wait for the rest of the body.
    const closed = await new Promise<boolean>((resolve) => {
      if (socket.destroyed) return resolve(true);
      socket.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 3000);
    });
    socket.destroy();
    expect(closed).toBe(true);
    const { status, body } = parseAnswer(answer);
    expect(status).toBe(408);
    expect(body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'RequestTimeout', code: 408 });
    expect(body.message).toBe('Request body not received within 1000 ms');
  });

  it('logs a client that goes away mid-body at debug, never as an unhandled error', async () => {
    const socket = await openSocket(server.port);
    startPost(socket, '/api/v1.0/tasks', { 'X-Context-Marker': 'body-abort' }, 200, '{"action": "valid');
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    await expect
      .poll(() => server.records().find((r) => r.req_id === 'body-abort' && r.msg === 'client aborted the request body'), { timeout: 5000 })
      .toMatchObject({ level: 'debug' });
    expect(server.records().filter((r) => r.level === 'error')).toEqual([]);
    // Still serving.
    expect((await fetch(`${server.url}/api/v1.0/health`)).status).toBe(204);
  });
});
