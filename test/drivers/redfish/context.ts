import { loadConfig } from '../../../src/core/config.ts';
import { createLogger } from '../../../src/core/log.ts';
import type { BaremetalNode } from '../../../src/design/model.ts';
import type { DriverAction } from '../../../src/drivers/actions.ts';
import { createRedfishOobDriver } from '../../../src/drivers/redfish/driver.ts';
import type { DriverContext } from '../../../src/drivers/types.ts';
import { redfishFetchFor } from '../../../src/runtime/redfish-fetch.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';
import type { Emulator } from './emulator.ts';
import { untilSettled } from '../until-settled.ts';

export const ACCOUNT = 'admin';
export const CREDENTIAL = 'bmc-secret-1';

/** A node whose BMC is the emulator (127.0.0.1 on its oob network, its port). */
export function nodeOf(name: string, emulator: Pick<Emulator, 'port' | 'url'>, oob: Record<string, unknown> = {}): BaremetalNode {
  const params = { type: 'redfish', network: 'oob', account: ACCOUNT, credential: CREDENTIAL, port: emulator.port, use_ssl: emulator.url.startsWith('https'), ...oob };
  return makeNode(name, {
    oob: {
      type: 'redfish',
      network: (params.network as string | null) ?? null,
      account: (params.account as string | null) ?? null,
      credential: (params.credential as string | null) ?? null,
      params,
    },
    addressing: [{ network: 'oob', type: 'static', address: '127.0.0.1' }],
  });
}

/** What the orchestrator hands a driver call, with a fetch that trusts the test's certificate. */
export async function contextFor(nodes: BaremetalNode[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  const config = loadConfig({ AUTH_MODE: 'none', OOB_DRIVER: 'redfish', OOB_POWER_POLL_MS: '50', OOB_POWER_MAX_POLLS: '40', OOB_REQUEST_TIMEOUT_MS: '2000', ...env });
  const fetchFn = (await redfishFetchFor(config, logger)) ?? fetch;
  const ctx: DriverContext = {
    db: undefined as never, // the Redfish driver keeps nothing in the database
    config,
    clock: () => new Date(),
    fetch: fetchFn,
    logger,
    site: siteOf({ nodes }),
    taskId: 'task-1',
    designRef: 'test',
  };
  const driver = createRedfishOobDriver();
  /** Calls as the orchestrator does: again after each `pending`, its memo handed back, until done or failed. */
  const until = (action: DriverAction, node: BaremetalNode, limit = 100) => untilSettled(driver, ctx, action, node, { limit });
  return { ctx, driver, lines, until };
}
