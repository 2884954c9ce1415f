import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { oauthHeader, parseMaasApiKey } from '../../../src/drivers/maas/api-key.ts';
import { MaasClient } from '../../../src/drivers/maas/client.ts';
import { MaasError } from '../../../src/drivers/maas/maas-error.ts';

// The MAAS client's wire behaviour against a bare HTTP server on loopback:
// what goes out (OAuth, op=, forms) and how answers and faults come back.
// MAAS's own behaviour is the MAAS simulator's business (test/maas/).

const KEY = parseMaasApiKey('ck123:tk456:ts789secret')!;

interface Seen {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(answer: (seen: Seen, res: ServerResponse, n: number) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const s = { method: req.method!, url: new URL(req.url!, 'http://x'), headers: req.headers, body };
      seen.push(s);
      answer(s, res, seen.length);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/MAAS`, seen };
}

const sleeps: number[] = [];
const clientFor = (url: string, over: Partial<ConstructorParameters<typeof MaasClient>[0]> = {}) =>
  new MaasClient({ url, key: KEY, fetch, timeoutMs: 2000, retries: 2, backoffMs: 100, sleep: async (ms) => void sleeps.push(ms), ...over });

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('MAAS API key and OAuth', () => {
  it('reads consumer_key:token_key:token_secret, and nothing else', () => {
    expect(KEY).toEqual({ consumerKey: 'ck123', tokenKey: 'tk456', tokenSecret: 'ts789secret' });
    for (const bad of ['', 'a:b', 'a:b:c:d', 'a::c', ' : : ']) expect(parseMaasApiKey(bad)).toBeNull();
  });

  it('signs with PLAINTEXT: the signature is & and the token secret, the timestamp in seconds', () => {
    const header = oauthHeader(KEY, 1_700_000_000_999, 'n-1');
    expect(header).toBe(
      'OAuth oauth_version="1.0", oauth_signature_method="PLAINTEXT", oauth_consumer_key="ck123", oauth_token="tk456", ' +
        'oauth_signature="%26ts789secret", oauth_nonce="n-1", oauth_timestamp="1700000000"',
    );
  });
});

describe('MAAS client', () => {
  it('sends op= in the query, forms as the body, arrays as repeated fields, a fresh nonce each time', async () => {
    const { url, seen } = await serve((_s, res) => json(res, 200, { ok: true }));
    const client = clientFor(url);
    await client.json({ method: 'POST', path: 'machines/abc/', op: 'deploy', params: { distro_series: 'jammy', tags: ['a', 'b'], skip: null } });
    await client.json({ method: 'GET', path: 'machines/', params: { hostname: ['n1', 'n2'] } });
    expect(seen[0]!.url.pathname).toBe('/MAAS/api/2.0/machines/abc/');
    expect(seen[0]!.url.searchParams.get('op')).toBe('deploy');
    expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0]!.body).toBe('distro_series=jammy&tags=a&tags=b');
    expect(seen[1]!.url.search).toBe('?hostname=n1&hostname=n2');
    expect(seen[1]!.body).toBe('');
    const nonces = seen.map((s) => /oauth_nonce="([^"]+)"/.exec(String(s.headers.authorization))?.[1]);
    expect(new Set(nonces).size).toBe(2);
  });

  it('sends a POST again on 503 and 429 (MAAS did not take it), honouring Retry-After', async () => {
    sleeps.length = 0;
    const { url, seen } = await serve((_s, res, n) => {
      if (n === 1) return json(res, 503, 'busy');
      if (n === 2) {
        res.writeHead(429, { 'Retry-After': '1' });
        return res.end();
      }
      json(res, 200, { system_id: 'abc' });
    });
    expect(await clientFor(url).json({ method: 'POST', path: 'machines/abc/', op: 'commission' })).toEqual({ system_id: 'abc' });
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([100, 1000]);
  });

  it('sends a GET again on a 500, never a POST, whose effect is unknown', async () => {
    const get = await serve((_s, res, n) => json(res, n === 1 ? 500 : 200, []));
    expect(await clientFor(get.url).json({ method: 'GET', path: 'machines/' })).toEqual([]);
    await new Promise<void>((r) => server!.close(() => r()));
    const post = await serve((_s, res) => json(res, 500, 'Internal error'));
    const err = await clientFor(post.url).json({ method: 'POST', path: 'machines/abc/', op: 'deploy' }).catch((e: unknown) => e);
    expect(post.seen).toHaveLength(1);
    expect(String((err as Error).message)).toBe('MAAS POST machines/abc/?op=deploy answered HTTP 500: "Internal error"');
  });

  it('gives up after the retries, saying how often it tried', async () => {
    const { url, seen } = await serve((_s, res) => json(res, 503, 'busy'));
    const err = await clientFor(url).json({ method: 'GET', path: 'version/' }).catch((e: unknown) => e);
    expect(seen).toHaveLength(3);
    expect((err as MaasError).message).toBe('MAAS GET version/ answered HTTP 503: "busy" (after 3 attempts)');
  });

  it('names MAAS_API_KEY on a 401 and never repeats any part of the key', async () => {
    const { url } = await serve((_s, res) => {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('Authorization Error: Invalid access token: tk456');
    });
    const err = (await clientFor(url).json({ method: 'GET', path: 'machines/' }).catch((e: unknown) => e)) as MaasError;
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/^MAAS refused the API key \(HTTP 401 on GET machines\/\): check MAAS_API_KEY/);
    for (const part of ['ck123', 'tk456', 'ts789secret']) expect(err.message).not.toContain(part);
  });

  it('bounds each attempt by the timeout, and says which setting', async () => {
    const { url } = await serve(() => {});
    const started = Date.now();
    const err = (await clientFor(url, { timeoutMs: 300, retries: 0 }).json({ method: 'GET', path: 'version/' }).catch((e: unknown) => e)) as MaasError;
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err.message).toBe('MAAS GET version/: no answer within 300 ms (MAAS_REQUEST_TIMEOUT_MS): MAAS is unreachable or too slow');
  });

  it('says when MAAS cannot be reached at all', async () => {
    const { url } = await serve(() => {});
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const err = (await clientFor(url).json({ method: 'GET', path: 'version/' }).catch((e: unknown) => e)) as MaasError;
    expect(err.message).toMatch(/^MAAS GET version\/: could not connect to MAAS \(ECONNREFUSED/);
  });

  it('refuses a path that leaves the API, sending nothing', async () => {
    const { url, seen } = await serve((_s, res) => json(res, 200, {}));
    await expect(clientFor(url).json({ method: 'GET', path: '../../admin/' })).rejects.toThrow(/leaves the MAAS API/);
    expect(seen).toHaveLength(0);
  });
});
