import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, digestOf, jsonOf } from '../helpers/app.ts';
import { FAKE_SERVICE_CREDENTIALS, startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.ts';

const EXTENDED = '/api/v1.0/health/extended';

describe('AUTH_MODE=token', () => {
  const env = async () => ({ AUTH_MODE: 'token', AUTH_TOKENS: `ops:admin:${await digestOf('s3cret')}` });

  it('accepts the token as X-Auth-Token, as Drydock clients send it', async () => {
    const { app } = await buildTestApp({ env: await env() });
    expect((await app.request(EXTENDED, { headers: { 'X-Auth-Token': 's3cret' } })).status).toBe(200);
  });

  it('accepts the token as Authorization: Bearer', async () => {
    const { app } = await buildTestApp({ env: await env() });
    expect((await app.request(EXTENDED, { headers: { Authorization: 'Bearer s3cret' } })).status).toBe(200);
  });

  it('refuses a wrong token with 401 and does not echo it', async () => {
    const { app } = await buildTestApp({ env: await env() });
    const res = await app.request(EXTENDED, { headers: { 'X-Auth-Token': 'guess-s3cret' } });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('guess-s3cret');
  });

  it('accepts the admin token a local start generated (extra token digest)', async () => {
    const { app } = await buildTestApp({
      env: { AUTH_MODE: 'token' },
      extraTokens: [{ name: 'admin', roles: ['admin'], digest: await digestOf('generated') }],
    });
    expect((await app.request(EXTENDED, { headers: { 'X-Auth-Token': 'generated' } })).status).toBe(200);
    expect((await app.request(EXTENDED)).status).toBe(401);
  });
});

describe('AUTH_MODE=none', () => {
  it('treats every caller as an administrator and warns at start', async () => {
    const { app, logs } = await buildTestApp({ env: { AUTH_MODE: 'none' } });
    expect((await app.request(EXTENDED)).status).toBe(200);
    expect(logs.some((l) => l.level === 'warn' && String(l.record.msg).includes('AUTH_MODE=none'))).toBe(true);
  });
});

describe('AUTH_MODE=keystone against a Keystone on 127.0.0.1', () => {
  let keystone: FakeKeystone;
  const env = () => ({
    AUTH_MODE: 'keystone',
    KEYSTONE_AUTH_URL: keystone.url,
    KEYSTONE_USERNAME: FAKE_SERVICE_CREDENTIALS.username,
    KEYSTONE_PASSWORD: FAKE_SERVICE_CREDENTIALS.password,
    KEYSTONE_TIMEOUT_MS: '500',
  });

  beforeAll(async () => {
    keystone = await startFakeKeystone();
  });
  afterAll(async () => {
    await keystone.close();
  });

  it('lets an admin token through and records the Keystone user', async () => {
    const { app, logs } = await buildTestApp({ env: env() });
    const token = keystone.issueUserToken({ userName: 'shipyard', roles: ['admin'] });
    expect((await app.request(EXTENDED, { headers: { 'X-Auth-Token': token } })).status).toBe(200);
    expect(logs.find((l) => l.record.msg === 'request')?.record.user).toBe('shipyard');
  });

  it('answers 403 for a valid token without the admin role', async () => {
    const { app } = await buildTestApp({ env: env() });
    const token = keystone.issueUserToken({ roles: ['member'] });
    expect((await app.request(EXTENDED, { headers: { 'X-Auth-Token': token } })).status).toBe(403);
  });

  it('answers 401 with a Keystone challenge for an unknown or expired token', async () => {
    const { app } = await buildTestApp({ env: env() });
    const expired = keystone.issueUserToken({ roles: ['admin'], expiresInSeconds: -10 });
    for (const token of ['not-a-real-token', expired]) {
      const res = await app.request(EXTENDED, { headers: { 'X-Auth-Token': token } });
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe(`Keystone uri="${keystone.baseUrl}"`);
    }
  });

  it('answers 503 (retryable), never a pass, when Keystone is failing', async () => {
    const { app } = await buildTestApp({ env: env() });
    const token = keystone.issueUserToken({ roles: ['admin'] });
    keystone.setFailure(500);
    try {
      const res = await app.request(EXTENDED, { headers: { 'X-Auth-Token': token } });
      expect(res.status).toBe(503);
      const body = await jsonOf(res);
      expect(body).toMatchObject({ code: 503, retry: true, reason: 'ServiceUnavailable' });
      expect(JSON.stringify(body)).not.toContain(token);
    } finally {
      keystone.setFailure(null);
    }
    expect((await app.request(EXTENDED, { headers: { 'X-Auth-Token': token } })).status).toBe(200);
  });
});
