import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/config.ts';
import { createStaticTokenAuthenticator, parseAuthTokens } from '../../src/auth/static-tokens.ts';
import { digestsEqual } from '../../src/core/digest.ts';
import { digestOf } from '../helpers/app.ts';

describe('AUTH_TOKENS', () => {
  it('parses name:roles:digest entries, with or without a sha256: prefix', async () => {
    const d = await digestOf('t');
    expect(parseAuthTokens(`ops:admin+reader:${d}, ci:member:sha256:${d.toUpperCase()}`)).toEqual([
      { name: 'ops', roles: ['admin', 'reader'], digest: d },
      { name: 'ci', roles: ['member'], digest: d },
    ]);
  });

  it('rejects a raw token where a digest belongs, naming the entry but not echoing it', () => {
    let err: unknown;
    try {
      parseAuthTokens('ops:admin:my-plain-token');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('AUTH_TOKENS');
    expect((err as Error).message).toContain('entry 1');
    expect((err as Error).message).not.toContain('my-plain-token');
  });

  it('maps a token to its name and roles, and refuses anything else', async () => {
    const auth = createStaticTokenAuthenticator(parseAuthTokens(`ops:admin:${await digestOf('right')}`));
    expect(await auth.authenticate('right')).toMatchObject({ user: 'ops', roles: ['admin'], method: 'token', isAdmin: false });
    expect(await auth.authenticate('wrong')).toBeNull();
    expect(await auth.authenticate(null)).toBeNull();
    expect(await auth.authenticate('')).toBeNull();
  });
});

describe('digest comparison', () => {
  it('is equal only for identical digests', async () => {
    const a = await digestOf('a');
    expect(digestsEqual(a, a)).toBe(true);
    expect(digestsEqual(a, await digestOf('b'))).toBe(false);
    expect(digestsEqual(a, a.slice(1))).toBe(false);
  });
});
