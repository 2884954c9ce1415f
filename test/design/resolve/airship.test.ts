import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeystoneClient } from '../../../src/auth/keystone.ts';
import type { Database } from '../../../src/db/types.ts';
import { ApiError } from '../../../src/core/errors.ts';
import { FAKE_SERVICE_CREDENTIALS, startFakeKeystone, type FakeKeystone } from '../../helpers/fake-keystone.ts';
import { startOrigin, type Origin } from '../../helpers/origin.ts';
import { memoryDatabase, rejection, resolverFor } from './setup.ts';

const RENDERED = 'schema: drydock/Region/v1\n';
let origin: Origin;
let keystone: FakeKeystone;
let database: Database;

beforeAll(async () => {
  database = await memoryDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  origin = await startOrigin();
  keystone = await startFakeKeystone();
});
afterEach(async () => {
  await origin.close();
  await keystone.close();
});

function keystoneClient(password: string = FAKE_SERVICE_CREDENTIALS.password) {
  return createKeystoneClient({ ...FAKE_SERVICE_CREDENTIALS, password, authUrl: keystone.url, timeoutMs: 2000 });
}

describe('deckhand+ and promenade+ design refs', () => {
  it('fetches the plain http URL with the Keystone service token', async () => {
    origin.handle = (_req, res) => res.writeHead(200, { 'content-type': 'application/x-yaml' }).end(RENDERED);
    const client = keystoneClient();
    const { resolver } = resolverFor(database, { serviceToken: () => client.serviceToken() });
    const ref = `deckhand+${origin.base}/api/v1.0/revisions/7/rendered-documents`;
    expect(await resolver.resolve(ref)).toEqual({ text: RENDERED, contentType: 'application/x-yaml', ref });
    expect(origin.requests).toMatchObject([{ path: '/api/v1.0/revisions/7/rendered-documents' }]);
    expect(origin.requests[0]?.headers['x-auth-token']).toBe(await client.serviceToken());
    expect(keystone.calls.issue).toBe(1);
  });

  it('accepts the promenade prefix and reuses the cached token', async () => {
    origin.handle = (_req, res) => res.end(RENDERED);
    const client = keystoneClient();
    const { resolver } = resolverFor(database, { serviceToken: () => client.serviceToken() });
    await resolver.resolve(`promenade+${origin.base}/a`);
    await resolver.resolve(`PROMENADE+${origin.base}/b`);
    expect(origin.requests.map((r) => r.headers['x-auth-token'])).toEqual([expect.stringMatching(/^gAAAAA/), origin.requests[0]?.headers['x-auth-token']]);
    expect(keystone.calls.issue).toBe(1);
  });

  it('answers 400 when no Keystone is configured', async () => {
    const err = await rejection(resolverFor(database).resolver.resolve(`deckhand+${origin.base}/docs`));
    expect(err.message).toContain('deckhand+http:// refs need Keystone (AUTH_MODE=keystone)');
    expect(origin.requests).toHaveLength(0);
  });

  it('answers 400 when Keystone refuses the service credentials, without leaking them', async () => {
    const client = keystoneClient('wrong-password-xyz');
    const err = await rejection(resolverFor(database, { serviceToken: () => client.serviceToken() }).resolver.resolve(`deckhand+${origin.base}/docs`));
    expect(err.message).toContain('could not obtain a Keystone service token: Identity service unavailable: service credentials rejected');
    expect(err.message).not.toContain('wrong-password-xyz');
  });

  it('does not pass on the text of an unexpected token failure', async () => {
    const serviceToken = async () => {
      throw new Error('secret detail');
    };
    const err = await rejection(resolverFor(database, { serviceToken }).resolver.resolve(`deckhand+${origin.base}/docs`));
    expect(err.message).not.toContain('secret detail');
    expect(err).toBeInstanceOf(ApiError);
  });

  it('answers 400 naming the status Deckhand answered', async () => {
    origin.handle = (_req, res) => res.writeHead(404).end('revision 7 not found');
    const { resolver } = resolverFor(database, { serviceToken: async () => 'svc-token' });
    const err = await rejection(resolver.resolve(`deckhand+${origin.base}/api/v1.0/revisions/7/rendered-documents`));
    expect(err.message).toBe(
      `Cannot resolve design_ref deckhand+${origin.base}/api/v1.0/revisions/7/rendered-documents: the server answered HTTP 404`,
    );
  });
});
