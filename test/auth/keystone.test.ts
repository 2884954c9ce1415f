import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeystoneAuthenticator, type KeystoneAuthOptions } from '../../src/auth/keystone.ts';
import { ApiError } from '../../src/core/errors.ts';
import { FAKE_SERVICE_CREDENTIALS, startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.ts';

let clock = Date.parse('2030-01-01T00:00:00Z');
const advance = (seconds: number) => void (clock += seconds * 1000);
let keystone: FakeKeystone;
let logged: unknown[];

function authenticator(overrides: Partial<KeystoneAuthOptions> = {}) {
  return createKeystoneAuthenticator({
    ...FAKE_SERVICE_CREDENTIALS,
    authUrl: keystone.url,
    cacheTtlSeconds: 300,
    negativeCacheSeconds: 5,
    timeoutMs: 2000,
    fetch: (input, init) => fetch(input, init),
    now: () => clock,
    log: (...args) => void logged.push(args),
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

beforeEach(async () => {
  clock = Date.parse('2030-01-01T00:00:00Z');
  logged = [];
  keystone = await startFakeKeystone({ now: () => clock });
});
afterEach(async () => {
  await keystone.close();
  // Nothing secret ever reaches the log.
  expect(JSON.stringify(logged)).not.toContain(FAKE_SERVICE_CREDENTIALS.password);
  expect(JSON.stringify(logged)).not.toContain('gAAAAA');
});

describe('keystone authenticator', () => {
  it('turns a valid token into a principal with its roles', async () => {
    const token = keystone.issueUserToken({ userId: 'u1', userName: 'bob', projectId: 'p9', roles: ['admin', 'member'], isAdminProject: true });
    const auth = authenticator();
    expect(auth.mode).toBe('keystone');
    expect(await auth.authenticate(token)).toEqual({
      user: 'bob', userId: 'u1', userDomainId: 'default', projectId: 'p9', projectDomainId: 'default',
      roles: ['admin', 'member'], isAdminProject: true, isAdmin: false, method: 'keystone',
    });
  });

  it('accepts an unscoped token with no project', async () => {
    const token = keystone.issueUserToken({ projectId: null, roles: [] });
    const p = await authenticator().authenticate(token);
    expect(p).toMatchObject({ projectId: null, projectDomainId: null, roles: [], isAdminProject: false });
  });

  it('normalises the auth URL and names it in the challenge', async () => {
    for (const authUrl of [keystone.baseUrl, `${keystone.baseUrl}/`, `${keystone.url}/`]) {
      const auth = authenticator({ authUrl });
      expect(auth.challenge).toBe(`Keystone uri="${keystone.baseUrl}"`);
      expect(await auth.authenticate(keystone.issueUserToken())).not.toBeNull();
    }
  });

  it('answers null for a missing, unknown or malformed token', async () => {
    const auth = authenticator();
    expect(await auth.authenticate(null)).toBeNull();
    expect(await auth.authenticate('not-a-token')).toBeNull();
    expect(await auth.authenticate('bad token\nwith spaces')).toBeNull();
    expect(keystone.calls.validate).toBe(1);
  });

  it('answers null once a token has expired, whichever side notices', async () => {
    const token = keystone.issueUserToken({ expiresInSeconds: 60 });
    expect(await authenticator().authenticate(token)).not.toBeNull();
    advance(61);
    expect(await authenticator().authenticate(token)).toBeNull();
    // Keystone's clock lags ours: it still says valid, but expires_at has passed.
    const lagging = keystone.issueUserToken({ expiresInSeconds: 30 });
    expect(await authenticator({ now: () => clock + 31_000 }).authenticate(lagging)).toBeNull();
  });

  it('caches a valid token without calling Keystone again', async () => {
    const token = keystone.issueUserToken();
    const auth = authenticator();
    await auth.authenticate(token);
    advance(299);
    expect(await auth.authenticate(token)).not.toBeNull();
    expect(keystone.calls).toEqual({ issue: 1, validate: 1 });
    advance(2);
    await auth.authenticate(token);
    expect(keystone.calls.validate).toBe(2);
  });

  it('ends the cache at token expiry even when the TTL is longer', async () => {
    const token = keystone.issueUserToken({ expiresInSeconds: 60 });
    const auth = authenticator({ cacheTtlSeconds: 3600 });
    expect(await auth.authenticate(token)).not.toBeNull();
    advance(59);
    expect(await auth.authenticate(token)).not.toBeNull();
    expect(keystone.calls.validate).toBe(1);
    advance(2);
    expect(await auth.authenticate(token)).toBeNull();
    expect(keystone.calls.validate).toBe(2);
  });

  it('remembers an invalid token only briefly', async () => {
    const auth = authenticator();
    expect(await auth.authenticate('unknown-token')).toBeNull();
    expect(await auth.authenticate('unknown-token')).toBeNull();
    expect(keystone.calls.validate).toBe(1);
    advance(6);
    keystone.issueUserToken({ token: 'unknown-token' });
    expect(await auth.authenticate('unknown-token')).not.toBeNull();
    expect(keystone.calls.validate).toBe(2);
  });

  it('shares one request among concurrent validations', async () => {
    const token = keystone.issueUserToken();
    const auth = authenticator();
    const results = await Promise.all(Array.from({ length: 5 }, () => auth.authenticate(token)));
    expect(results.every((p) => p?.method === 'keystone')).toBe(true);
    expect(keystone.calls).toEqual({ issue: 1, validate: 1 });
  });

  it('evicts the oldest entry beyond the cache bound', async () => {
    const auth = authenticator({ maxCacheEntries: 2 });
    const [a, b, c] = [keystone.issueUserToken(), keystone.issueUserToken(), keystone.issueUserToken()];
    for (const t of [a, b, c, c, b]) await auth.authenticate(t);
    expect(keystone.calls.validate).toBe(3);
    await auth.authenticate(a);
    expect(keystone.calls.validate).toBe(4);
  });

  it('re-obtains the service token after Keystone rejects it', async () => {
    const auth = authenticator();
    await auth.authenticate(keystone.issueUserToken());
    keystone.revokeServiceTokens();
    expect(await auth.authenticate(keystone.issueUserToken({ roles: ['reader'] }))).toMatchObject({ roles: ['reader'] });
    expect(keystone.calls).toEqual({ issue: 2, validate: 3 });
  });

  it('renews the service token shortly before it expires', async () => {
    const auth = authenticator({ cacheTtlSeconds: 0 });
    const token = keystone.issueUserToken({ expiresInSeconds: 7200 });
    await auth.authenticate(token);
    advance(3600 - 61);
    await auth.authenticate(token);
    expect(keystone.calls.issue).toBe(1);
    advance(2);
    await auth.authenticate(token);
    expect(keystone.calls).toEqual({ issue: 2, validate: 3 });
  });

  it('answers null when Keystone says 401 about the subject token itself', async () => {
    const fetch401: typeof fetch = async (input, init) => {
      if (init?.method !== 'GET') return fetch(input, init);
      const message = 'The request you have made requires authentication. Invalid subject token.';
      return Response.json({ error: { code: 401, title: 'Unauthorized', message } }, { status: 401 });
    };
    expect(await authenticator({ fetch: fetch401 }).authenticate('some-token')).toBeNull();
    expect(keystone.calls.issue).toBe(1);
  });

  it('answers 503 when the service credentials are rejected', async () => {
    const err = await rejection(authenticator({ password: 'wrong' }).authenticate(keystone.issueUserToken()));
    expect(err.status).toBe(503);
    expect(err.message).not.toContain('wrong');
  });

  it('answers 503, uncached, while Keystone is down', async () => {
    const token = keystone.issueUserToken();
    const auth = authenticator();
    await keystone.stop();
    const err = await rejection(auth.authenticate(token));
    expect(err).toMatchObject({ status: 503, reason: 'ServiceUnavailable', retry: true });
    expect(err.message).toBe('Identity service unavailable: unreachable');
    await keystone.start();
    expect(await auth.authenticate(token)).not.toBeNull();
  });

  it('answers 503, uncached, when Keystone fails with 5xx', async () => {
    const token = keystone.issueUserToken();
    const auth = authenticator();
    expect(await auth.authenticate(token)).not.toBeNull();
    advance(301);
    keystone.setFailure(500);
    const err = await rejection(auth.authenticate(token));
    expect(err.message).toBe('Identity service unavailable: HTTP 500');
    expect(err.message).not.toContain(token);
    keystone.setFailure(null);
    expect(await auth.authenticate(token)).not.toBeNull();
  });

  it('answers 503 when Keystone is too slow', async () => {
    const token = keystone.issueUserToken();
    keystone.setDelay(500);
    const err = await rejection(authenticator({ timeoutMs: 100 }).authenticate(token));
    expect(err.message).toBe('Identity service unavailable: timed out');
    expect(err.message).not.toContain(token);
  });
});
