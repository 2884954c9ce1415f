import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAgent, type Agent, type AgentDeps } from '../agent/agent.ts';
import { DesignCache } from '../agent/designs.ts';
import { createEdgeClient } from '../agent/edge-client.ts';
import { agentSettingsOf, type AgentSettings } from '../agent/settings.ts';
import { openSpool } from '../agent/spool.ts';
import { createServiceKeystone } from '../auth/create-authenticator.ts';
import { loadConfig, type Config } from '../core/config.ts';
import { createLogger, type Logger } from '../core/log.ts';
import { openLibsqlDatabase } from '../db/libsql.ts';
import type { Database } from '../db/types.ts';
import { designLimitsOf } from '../design/reader.ts';
import { createDrivers } from '../drivers/index.ts';
import { installLabDisk } from '../drivers/fake/machine-memory.ts';
import type { Drivers } from '../drivers/types.ts';
import { createCommandRunner } from './command-runner.ts';
import { createLabDisk } from './fake-lab-disk.ts';
import { kubernetesFetchFor } from './kubernetes-fetch.ts';
import { redfishFetchFor } from './redfish-fetch.ts';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

export interface LocalAgent {
  agent: Agent;
  settings: AgentSettings;
  logger: Logger;
  close(): Promise<void>;
}

/** The fake lab keeps its machines in the database; no other driver touches ctx.db. */
const usesFakeLab = (config: Config) => config.NODE_DRIVER === 'fake' || config.OOB_DRIVER.includes('fake');

/** Where the fake lab is not in use: a database that says why it is not there. */
const NO_DATABASE = new Proxy(
  {},
  {
    get() {
      throw new Error('this driver asked for a database; the site agent keeps none (only the fake lab drivers use one)');
    },
  },
) as Database['db'];

/** Names as the heartbeat reports them: `node:maas`, `oob:ipmi`, `kubernetes:promenade`. */
export const driverNames = (drivers: Drivers) => [
  `node:${drivers.node.name}`,
  ...drivers.oob.map((d) => `oob:${d.name}`),
  ...(drivers.kubernetes ? [`kubernetes:${drivers.kubernetes.name}`] : []),
];

/**
 * The site agent on Node and Deno: its settings, the drivers built as
 * prepareLocal builds them (the same TLS-aware fetches and command runner),
 * the spool, and the edge client.
 */
export async function prepareAgent(env: Record<string, string | undefined>, extra: Partial<AgentDeps> = {}): Promise<LocalAgent> {
  const settings = agentSettingsOf(env);
  const config = loadConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL, fields: { component: 'agent' } });
  const fetchFn: typeof fetch = (input, init) => fetch(input, init);
  const keystone = createServiceKeystone({ config, fetch: fetchFn, logger });
  const commandRunner = createCommandRunner();
  const drivers = createDrivers(config, {
    redfishFetch: config.OOB_DRIVER.includes('redfish') ? await redfishFetchFor(config, logger) : undefined,
    kubernetesFetch: await kubernetesFetchFor(config),
    commandRunner,
    serviceToken: keystone ? () => keystone.serviceToken() : undefined,
    forgetServiceToken: keystone ? (token) => keystone.forgetServiceToken(token) : undefined,
  });
  let database: Database | null = null;
  if (usesFakeLab(config)) {
    installLabDisk(config.FAKE_LAB_DISK_DIR ? createLabDisk(config.FAKE_LAB_DISK_DIR) : null);
    database = await openLibsqlDatabase({ url: ':memory:', busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS, migrationsFolder: MIGRATIONS });
  }
  const [ipmitool, virsh] = await Promise.all([commandRunner.which(config.IPMITOOL_PATH), commandRunner.which(config.VIRSH_PATH)]);
  const version = (JSON.parse(await readFile(PACKAGE_JSON, 'utf8')) as { version: string }).version;
  const agent = createAgent({
    client: createEdgeClient({ edgeUrl: settings.edgeUrl, token: settings.token }),
    spool: await openSpool(resolve(settings.spoolDir)),
    designs: new DesignCache(designLimitsOf(config)),
    drivers,
    base: { db: database?.db ?? NO_DATABASE, config, clock: () => new Date(), fetch: fetchFn, logger },
    siteName: settings.site,
    heartbeat: { version, drivers: driverNames(drivers), tools: { ipmitool: ipmitool !== null, virsh: virsh !== null } },
    maxCalls: settings.maxCalls,
    logger,
    timings: { inventoryMs: settings.inventorySeconds * 1000 },
    ...extra,
  });
  return { agent, settings, logger, close: async () => database?.close() };
}
