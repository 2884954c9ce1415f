import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { redfishFetchFor } from '../../src/runtime/redfish-fetch.ts';
import { runToExit, NODE_ENTRY } from '../helpers/spawn.ts';

let dir: string;
const logger = createLogger({ level: 'error', sink: () => {} });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redfish-fetch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the BMC fetch on Node', () => {
  it('is the global fetch when TLS is left as is', async () => {
    expect(await redfishFetchFor(loadConfig({}), logger)).toBeUndefined();
  });

  it('stops start-up on a REDFISH_CA_FILE that cannot be read, naming it', async () => {
    const config = loadConfig({ REDFISH_CA_FILE: join(dir, 'missing.pem') });
    await expect(redfishFetchFor(config, logger)).rejects.toThrow(
      new ConfigError('REDFISH_CA_FILE', `cannot read ${join(dir, 'missing.pem')}: ENOENT`),
    );
  });

  it('stops start-up on a REDFISH_CA_FILE without a PEM certificate', async () => {
    await writeFile(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const config = loadConfig({ REDFISH_CA_FILE: join(dir, 'key.pem') });
    await expect(redfishFetchFor(config, logger)).rejects.toThrow('holds no PEM certificate');
  });

  it('refuses a REDFISH_VERIFY_TLS that is not true or false', () => {
    expect(() => loadConfig({ REDFISH_VERIFY_TLS: 'no' })).toThrow('REDFISH_VERIFY_TLS must be true or false');
  });

  it('names the bad CA file when the server starts with OOB_DRIVER=redfish', async () => {
    const { code, output } = await runToExit(NODE_ENTRY, {
      PORT: '0',
      DATABASE_URL: ':memory:',
      AUTH_MODE: 'none',
      OOB_DRIVER: 'redfish',
      REDFISH_CA_FILE: join(dir, 'missing.pem'),
    });
    expect(code).toBe(1);
    expect(output).toContain(`invalid configuration: REDFISH_CA_FILE: cannot read ${join(dir, 'missing.pem')}: ENOENT`);
  });
});
