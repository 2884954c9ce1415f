import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/core/config.ts';

const failure = (env: Record<string, unknown>) => {
  try {
    loadConfig(env);
  } catch (err) {
    return err;
  }
  throw new Error('expected loadConfig to throw');
};

describe('configuration', () => {
  it('defaults to the embedded set-up: 127.0.0.1:9000, a libSQL file, token auth', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 9000,
      DATABASE_URL: 'file:.data/drydock.db',
      AUTH_MODE: 'token',
      MAX_BODY_BYTES: 1_048_576,
      NODE_DRIVER: 'fake',
      OOB_DRIVER: ['fake'],
    });
  });

  it('reads values from Workers-style bindings and ignores non-string bindings', () => {
    const c = loadConfig({ PORT: '8080', DB: { prepare() {} }, OOB_DRIVER: 'fake, manual' });
    expect(c.PORT).toBe(8080);
    expect(c.OOB_DRIVER).toEqual(['fake', 'manual']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(9000);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ AUTH_MODE: 'ldap' }, 'AUTH_MODE'],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    [{ MAX_BODY_BYTES: '0' }, 'MAX_BODY_BYTES'],
    [{ OOB_DRIVER: 'fake,ilo' }, 'OOB_DRIVER'],
    [{ NODE_DRIVER: 'maas' }, 'NODE_DRIVER'],
    [{ KEYSTONE_AUTH_URL: 'not a url' }, 'KEYSTONE_AUTH_URL'],
    [{ AUTH_MODE: 'keystone' }, 'KEYSTONE_AUTH_URL'],
    [{ AUTH_MODE: 'keystone', KEYSTONE_AUTH_URL: 'http://127.0.0.1:5000/v3', KEYSTONE_USERNAME: 'd' }, 'KEYSTONE_PASSWORD'],
  ])('rejects %o naming %s', (env, variable) => {
    const err = failure(env);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as Error).message).toContain(variable);
  });

  it('never puts a secret value into the error message', () => {
    const err = failure({ AUTH_MODE: 'keystone', KEYSTONE_AUTH_URL: 'http://127.0.0.1:5000', KEYSTONE_PASSWORD: 'pw-s3cret' });
    expect((err as Error).message).not.toContain('pw-s3cret');
  });
});
