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
    [{ NODE_DRIVER: 'ironic' }, 'NODE_DRIVER'],
    [{ NODE_DRIVER: 'maas' }, 'MAAS_URL'],
    [{ NODE_DRIVER: 'maas', MAAS_URL: 'http://127.0.0.1:5240/MAAS' }, 'MAAS_API_KEY'],
    [{ MAAS_API_KEY: 'only:two' }, 'MAAS_API_KEY'],
    [{ MAAS_BOOTACTION_KEY_DELIVERY: 'email' }, 'MAAS_BOOTACTION_KEY_DELIVERY'],
    [{ MAAS_SKIP_BMC_CONFIG: 'yes' }, 'MAAS_SKIP_BMC_CONFIG'],
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
    const maas = failure({ MAAS_API_KEY: 'consumer-s3cret:token-s3cret' });
    expect((maas as Error).message).not.toContain('s3cret');
  });

  it('reads the MAAS driver settings, with Drydock\'s poll interval and timeouts as defaults', () => {
    const c = loadConfig({ NODE_DRIVER: 'maas', MAAS_URL: 'http://127.0.0.1:5240/MAAS', MAAS_API_KEY: 'a:b:c', MAAS_SKIP_BMC_CONFIG: 'true' });
    expect(c).toMatchObject({
      NODE_DRIVER: 'maas',
      MAAS_POLL_INTERVAL_MS: 10_000,
      MAAS_COMMISSION_TIMEOUT_MINUTES: 30,
      MAAS_DEPLOY_TIMEOUT_MINUTES: 45,
      MAAS_DESTROY_TIMEOUT_MINUTES: 30,
      MAAS_SKIP_BMC_CONFIG: true,
      MAAS_USE_NODE_OOB_PARAMS: false,
      MAAS_BOOTACTION_KEY_DELIVERY: 'both',
    });
  });
});
