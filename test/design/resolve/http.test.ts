import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/types.ts';
import { closedPort, startOrigin, type Origin } from '../../helpers/origin.ts';
import { memoryDatabase, rejection, resolverFor } from './setup.ts';

const DESIGN = 'schema: drydock/Region/v1\nmetadata:\n  name: sitename\n';
let origin: Origin;
let database: Database;

beforeAll(async () => {
  database = await memoryDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  origin = await startOrigin();
});
afterEach(async () => {
  await origin.close();
});

describe('http(s) design refs', () => {
  it('returns the body and content type of a 200', async () => {
    origin.handle = (_req, res) => res.writeHead(200, { 'content-type': 'application/x-yaml' }).end(DESIGN);
    const { resolver } = resolverFor(database);
    const ref = `${origin.base}/designs/site.yaml?rev=3`;
    expect(await resolver.resolve(ref)).toEqual({ text: DESIGN, contentType: 'application/x-yaml', ref });
    expect(origin.requests).toMatchObject([{ method: 'GET', path: '/designs/site.yaml?rev=3' }]);
    expect(origin.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('sends user:password@ as Basic auth and takes it out of the URL', async () => {
    origin.handle = (_req, res) => res.end(DESIGN);
    const { resolver } = resolverFor(database);
    const result = await resolver.resolve(`http://d%C3%A9ploy:pa%24%24w0rd@${origin.host}/site.yaml`);
    expect(result.text).toBe(DESIGN);
    const expected = `Basic ${Buffer.from('déploy:pa$$w0rd', 'utf8').toString('base64')}`;
    expect(origin.requests[0]?.headers.authorization).toBe(expected);
    expect(result.ref).toBe(`http://***@${origin.host}/site.yaml`);
  });

  it('never echoes the password in an error', async () => {
    origin.handle = (_req, res) => res.writeHead(401).end();
    const err = await rejection(resolverFor(database).resolver.resolve(`http://deploy:hunter2secret@${origin.host}/site.yaml`));
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain(`http://***@${origin.host}/site.yaml`);
    expect(err.message).not.toContain('hunter2secret');
    expect(err.message).not.toContain('deploy');
  });

  it('masks credential-like query values in errors', async () => {
    origin.handle = (_req, res) => res.writeHead(403).end();
    const err = await rejection(resolverFor(database).resolver.resolve(`${origin.base}/d.yaml?X-Amz-Signature=abc123&rev=2`));
    expect(err.message).toContain('X-Amz-Signature=***&rev=2');
    expect(err.message).not.toContain('abc123');
  });

  it('answers 400 naming the status when the origin says 404, without retrying', async () => {
    origin.handle = (_req, res) => res.writeHead(404).end('no such design');
    const { resolver, sleeps } = resolverFor(database);
    const err = await rejection(resolver.resolve(`${origin.base}/missing.yaml`));
    expect(err.message).toBe(`Cannot resolve design_ref ${origin.base}/missing.yaml: the server answered HTTP 404`);
    expect(origin.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries a 500 with exponential backoff, then answers 400 naming it', async () => {
    origin.handle = (_req, res) => res.writeHead(500).end('boom');
    const { resolver, sleeps } = resolverFor(database);
    const err = await rejection(resolver.resolve(`${origin.base}/site.yaml`));
    expect(err.message).toContain('the server answered HTTP 500 (after 3 attempts)');
    expect(origin.requests).toHaveLength(3);
    expect(sleeps).toEqual([200, 400]);
  });

  it('succeeds when a retry after a 503 or 429 gets the design', async () => {
    const statuses = [503, 429];
    origin.handle = (_req, res) => {
      const status = statuses.shift();
      if (status) res.writeHead(status).end();
      else res.end(DESIGN);
    };
    const { resolver, sleeps } = resolverFor(database, { retries: 3, backoffMs: 10 });
    expect((await resolver.resolve(`${origin.base}/site.yaml`)).text).toBe(DESIGN);
    expect(sleeps).toEqual([10, 20]);
  });

  it('answers 400 with the reason when the connection is refused, after retrying', async () => {
    const port = await closedPort();
    const { resolver, sleeps } = resolverFor(database, { retries: 1 });
    const err = await rejection(resolver.resolve(`http://127.0.0.1:${port}/site.yaml`));
    expect(err.message).toMatch(/network error: .*ECONNREFUSED.*\(after 2 attempts\)$/);
    expect(sleeps).toEqual([200]);
  });

  it('answers 400 when the origin never answers within the timeout', async () => {
    origin.handle = () => {};
    const { resolver } = resolverFor(database, { timeoutMs: 150 });
    const started = Date.now();
    const err = await rejection(resolver.resolve(`${origin.base}/slow.yaml`));
    expect(err.message).toBe(`Cannot resolve design_ref ${origin.base}/slow.yaml: timed out after 150 ms`);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers 400 when the body stalls past the timeout', async () => {
    origin.handle = (_req, res) => res.writeHead(200).write('schema: ');
    const err = await rejection(resolverFor(database, { timeoutMs: 200 }).resolver.resolve(`${origin.base}/stall.yaml`));
    expect(err.message).toContain('timed out after 200 ms');
  });

  it('refuses a design whose Content-Length passes the limit', async () => {
    origin.handle = (_req, res) => res.writeHead(200, { 'content-length': '2048' }).end('x'.repeat(2048));
    const { resolver, sleeps } = resolverFor(database, { maxBytes: 1024 });
    const err = await rejection(resolver.resolve(`${origin.base}/big.yaml`));
    expect(err.message).toContain('design exceeds the limit of 1024 bytes');
    expect(sleeps).toEqual([]);
  });

  it('refuses a chunked design once the streamed bytes pass the limit', async () => {
    let written = 0;
    origin.handle = (_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      // Keeps writing well past the limit; the resolver must stop reading early.
      const timer = setInterval(() => {
        if (res.destroyed || written > 1_000_000) return clearInterval(timer), res.end();
        res.write('y'.repeat(512));
        written += 512;
      }, 1);
    };
    const err = await rejection(resolverFor(database, { maxBytes: 1024 }).resolver.resolve(`${origin.base}/stream.yaml`));
    expect(err.message).toContain('design exceeds the limit of 1024 bytes');
    expect(written).toBeLessThan(100_000);
  });

  it('accepts a design of exactly the limit', async () => {
    origin.handle = (_req, res) => res.end('z'.repeat(1024));
    expect((await resolverFor(database, { maxBytes: 1024 }).resolver.resolve(`${origin.base}/edge.yaml`)).text).toHaveLength(1024);
  });

  it('refuses a body that is not UTF-8', async () => {
    origin.handle = (_req, res) => res.end(Buffer.from([0x66, 0xff, 0xfe, 0x00]));
    const err = await rejection(resolverFor(database).resolver.resolve(`${origin.base}/bin`));
    expect(err.message).toContain('not valid UTF-8');
  });

  it('follows redirects on the same origin, keeping Basic auth', async () => {
    origin.handle = (req, res) => {
      if (req.url === '/old') res.writeHead(302, { location: '/new' }).end();
      else res.end(DESIGN);
    };
    const result = await resolverFor(database).resolver.resolve(`http://u:p@${origin.host}/old`);
    expect(result.text).toBe(DESIGN);
    expect(origin.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/old', `Basic ${btoa('u:p')}`],
      ['/new', `Basic ${btoa('u:p')}`],
    ]);
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const other = await startOrigin();
    try {
      other.handle = (_req, res) => res.end(DESIGN);
      origin.handle = (_req, res) => res.writeHead(307, { location: `${other.base}/elsewhere` }).end();
      expect((await resolverFor(database).resolver.resolve(`http://u:p@${origin.host}/old`)).text).toBe(DESIGN);
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('answers 400 after too many redirects', async () => {
    origin.handle = (_req, res) => res.writeHead(302, { location: '/again' }).end();
    const { resolver, sleeps } = resolverFor(database);
    const err = await rejection(resolver.resolve(`${origin.base}/loop`));
    expect(err.message).toContain('more than 5 redirects');
    expect(origin.requests).toHaveLength(6);
    expect(sleeps).toEqual([]);
  });
});

describe('the host allow-list', () => {
  it('lets listed hosts through', async () => {
    origin.handle = (_req, res) => res.end(DESIGN);
    const { resolver } = resolverFor(database, { allowHosts: ['127.0.0.1'] });
    expect((await resolver.resolve(`${origin.base}/site.yaml`)).text).toBe(DESIGN);
  });

  it('refuses other hosts without contacting them', async () => {
    const { resolver } = resolverFor(database, { allowHosts: ['designs.example.com'] });
    const err = await rejection(resolver.resolve(`${origin.base}/site.yaml`));
    expect(err.message).toContain('host 127.0.0.1 is not in the allowed design hosts');
    expect(origin.requests).toHaveLength(0);
  });

  it('refuses a redirect to a host that is not listed', async () => {
    origin.handle = (_req, res) => res.writeHead(302, { location: 'http://localhost:1/metadata' }).end();
    const { resolver } = resolverFor(database, { allowHosts: ['127.0.0.1'] });
    const err = await rejection(resolver.resolve(`${origin.base}/site.yaml`));
    expect(err.message).toContain('host localhost is not in the allowed design hosts');
  });

  it('applies to deckhand refs as well', async () => {
    const { resolver } = resolverFor(database, { allowHosts: ['deckhand'], serviceToken: async () => 't' });
    const err = await rejection(resolver.resolve(`deckhand+${origin.base}/rendered-documents`));
    expect(err.message).toContain('host 127.0.0.1 is not in the allowed design hosts');
  });
});
