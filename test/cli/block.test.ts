import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { watchTask } from '../../src/cli/block.ts';
import { createApiClient } from '../../src/cli/http-client.ts';
import { colours, type Terminal } from '../../src/cli/terminal.ts';
import { partialDeploy, ROOT } from './events-fixtures.ts';
import type { TaskEvent } from '../../src/cli/events.ts';

/**
 * A small events server on 127.0.0.1 as the spec has it: each connection
 * sends the events after Last-Event-ID, at most `perConnection` of them,
 * then ends the stream (as Workers do after ~30 s) unless `end` went out.
 */
async function fakeEvents(events: TaskEvent[], perConnection: number) {
  const lastEventIds: Array<string | null> = [];
  const server: Server = createServer((req, res) => {
    if (req.url !== `/api/v1.0/tasks/${ROOT}/events` || req.headers['x-auth-token'] !== 'tok') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ kind: 'Status', message: `Task ${ROOT} does not exist`, details: { messageList: [] } }));
    }
    const last = req.headers['last-event-id'];
    lastEventIds.push(typeof last === 'string' ? last : null);
    const after = typeof last === 'string' ? Number(last) : 0;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('retry: 10\n: keepalive\n\n');
    for (const e of events.filter((e) => e.data.seq > after).slice(0, perConnection)) {
      res.write(`id: ${e.data.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, lastEventIds, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function captured(): { term: Terminal; text: () => string } {
  let text = '';
  const out = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  return { term: { out, err: out, fancy: false, colours: colours(false) }, text: () => text };
}

let server: Server | undefined;
afterEach(() => void server?.close());

describe('task create --block: following the events stream', () => {
  it('resumes with Last-Event-ID each time the server ends the stream, and sees each event once', async () => {
    const events = partialDeploy();
    const fake = await fakeEvents(events, 3);
    server = fake.server;
    const { term, text } = captured();
    const code = await watchTask(createApiClient(fake.url, 'tok'), ROOT, term);
    const seqs = events.map((e) => String(e.data.seq));
    expect(fake.lastEventIds).toEqual([null, seqs[2], seqs[5]]);
    expect(code).toBe(1);
    const lines = text().trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('n2  deploy_node  failure'))).toHaveLength(1);
    expect(lines.at(-2)).toMatch(new RegExp(`^deploy_nodes ${ROOT} partial_success: 1 node\\(s\\) succeeded, 1 failed in \\d+s$`));
    expect(lines.at(-1)).toBe('  n2: Node n2 deployment failed.');
  });

  it('an answer of the API (404) ends the watch with its message', async () => {
    const fake = await fakeEvents(partialDeploy(), 100);
    server = fake.server;
    const watching = watchTask(createApiClient(fake.url, 'wrong'), ROOT, captured().term);
    await expect(watching).rejects.toMatchObject({ message: `Task ${ROOT} does not exist (HTTP 404)`, exitCode: 1 });
  });

  it('a server that went away: a connection error (exit 2) after a few attempts', async () => {
    const fake = await fakeEvents([], 0);
    await new Promise((r) => fake.server.close(r));
    const watching = watchTask(createApiClient(fake.url, 'tok'), ROOT, captured().term, { maxFailures: 3, retryMs: 1 });
    await expect(watching).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('connection refused') });
  });
});
