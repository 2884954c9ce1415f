import { createAuthenticator, createServiceKeystone } from './auth/create-authenticator.ts';
import { parsePolicyDocument } from './auth/policy/document.ts';
import { createPolicyEnforcer } from './auth/policy/enforcer.ts';
import type { StaticToken } from './auth/static-tokens.ts';
import { ConfigError, everyCallAtAgents, type Config } from './core/config.ts';
import { createSecretBox, keyBytesOf } from './core/secret-box.ts';
import type { LoadReferenceAssets } from './core/reference-assets.ts';
import type { Database } from './db/types.ts';
import { createDesignResolver, type DesignResolverDeps } from './design/resolve/index.ts';
import { LruCache } from './design/site-cache.ts';
import { createDrivers } from './drivers/index.ts';
import { pollingOnly, type CallWakeups } from './drivers/remote/call-wakeups.ts';
import type { CommandRunner } from './drivers/oob/command.ts';
import { ruleContextSource } from './drivers/platforms.ts';
import type { Logger } from './core/log.ts';
import { createOrchestrator, type Orchestrator } from './orchestrator/orchestrator.ts';
import type { Scheduler } from './orchestrator/scheduler.ts';
import { inventoryRuleContext } from './services/agents/inventory-rules.ts';
import { databaseProbe } from './services/database-health.ts';
import { driverProbes } from './services/driver-probes.ts';
import { designLimitsOf, inRequestReader, type DesignReader } from './design/reader.ts';
import type { CompiledDesign } from './design/site-design.ts';
import { GroupCommit } from './services/bootactions/group-commit.ts';
import { TarballCache } from './services/bootactions/tarball-cache.ts';
import type { Services } from './services/context.ts';

export interface ServiceDeps {
  config: Config;
  database: Database;
  logger: Logger;
  fetch?: typeof fetch;
  clock?: () => Date;
  /** Text of POLICY_FILE, read by runtimes that have a file system. */
  policyFileText?: string;
  extraTokens?: StaticToken[];
  /** Reads file:// design refs; only runtimes with a file system pass one. */
  readFile?: DesignResolverDeps['readFile'];
  /** The runtime's scheduler (Queue on Workers, timers on Node/Deno). */
  scheduler?: Scheduler;
  /** Node/Deno read designs in a worker thread; without one, designs are read in the request. */
  designReader?: DesignReader;
  /** Node/Deno: the fetch for Redfish BMCs with REDFISH_CA_FILE / REDFISH_VERIFY_TLS applied. */
  redfishFetch?: typeof fetch;
  /** Node/Deno: runs ipmitool and virsh (the ipmi and libvirt OOB drivers). */
  commandRunner?: CommandRunner;
  /** Node/Deno: the fetch for the Kubernetes API server or Promenade with KUBERNETES_CA_FILE applied. */
  kubernetesFetch?: typeof fetch;
  /**
   * The key stored designs are sealed with (32 bytes): Node/Deno pass the
   * key file's, else DESIGN_ENCRYPTION_KEY is used (required then).
   * 'ephemeral': a random key for this process (tests, benchmarks): designs
   * stored by it cannot be read after it ends.
   */
  designKey?: Uint8Array<ArrayBuffer> | 'ephemeral';
  /**
   * Node/Deno: wakes a waiting agent lease when this process queues a call
   * of its site. Absent (Workers): leases find calls by looking every 500 ms.
   */
  callWakeups?: CallWakeups;
  /** Node/Deno: aborted when the process begins to stop, so open event streams end (their clients resume elsewhere). */
  stopping?: AbortSignal;
  /** Swagger UI for GET /api/v1.0/docs, as the runtime reaches it; absent: the page answers 404. */
  referenceAssets?: LoadReferenceAssets;
}

/** Tests that do not run tasks need no scheduler; a task then waits for a sweep. */
const NO_SCHEDULER: Scheduler = { schedule: async () => {} };

/**
 * The composition root: every runtime entry (and test harness) builds the
 * services and the orchestrator here from its config, database and runtime
 * pieces; nothing below the app reads the environment or opens a connection.
 */

function designKeyOf(config: Config, given: ServiceDeps['designKey']): Uint8Array<ArrayBuffer> {
  if (given === 'ephemeral') return crypto.getRandomValues(new Uint8Array(32));
  if (given) return given;
  const key = config.DESIGN_ENCRYPTION_KEY ? keyBytesOf(config.DESIGN_ENCRYPTION_KEY) : null;
  if (!key) {
    throw new ConfigError(
      'DESIGN_ENCRYPTION_KEY',
      'is required: stored designs (and the BMC credentials in them) are encrypted with it; make one with `openssl rand -base64 32`' +
        ' and set it as a secret (Workers: `npx wrangler secret put DESIGN_ENCRYPTION_KEY`, or .dev.vars for wrangler dev)',
    );
  }
  return key;
}

/** Wires the services every runtime shares from its config and database. */
export function createServices(deps: ServiceDeps): Services {
  const { config, logger } = deps;
  const fetchFn = deps.fetch ?? ((input, init) => fetch(input, init));
  const clock = deps.clock ?? (() => new Date());
  const overrides = {
    ...(deps.policyFileText ? parsePolicyDocument(deps.policyFileText) : {}),
    ...(config.POLICY_DOCUMENT ? parsePolicyDocument(config.POLICY_DOCUMENT) : {}),
  };
  const authDeps = { config, fetch: fetchFn, logger, extraTokens: deps.extraTokens, now: () => clock().getTime() };
  const keystone = createServiceKeystone(authDeps);
  const box = createSecretBox(designKeyOf(config, deps.designKey));
  const callWakeups = deps.callWakeups ?? pollingOnly();
  const resolver = createDesignResolver({
    fetch: fetchFn,
    db: deps.database.db,
    box,
    timeoutMs: config.DESIGN_FETCH_TIMEOUT_MS,
    maxBytes: config.DESIGN_MAX_BYTES,
    retries: config.DESIGN_FETCH_RETRIES,
    allowHosts: config.DESIGN_ALLOWED_HOSTS,
    serviceToken: keystone ? () => keystone.serviceToken() : undefined,
    readFile: deps.readFile,
    fileRoot: config.DESIGN_FILE_ROOT,
  });
  const drivers = createDrivers(config, {
    redfishFetch: deps.redfishFetch,
    commandRunner: deps.commandRunner,
    kubernetesFetch: deps.kubernetesFetch,
    serviceToken: keystone ? () => keystone.serviceToken() : undefined,
    forgetServiceToken: keystone ? (token) => keystone.forgetServiceToken(token) : undefined,
    box,
    callWakeups,
  });
  const driverCtx = { db: deps.database.db, config, clock, fetch: fetchFn, logger };
  return {
    config,
    database: deps.database,
    logger,
    clock,
    fetch: fetchFn,
    policy: createPolicyEnforcer(overrides),
    authenticator: createAuthenticator(authDeps, keystone),
    databaseHealth: databaseProbe(deps.database, { cacheMs: config.HEALTH_WRITE_PROBE_CACHE_MS }),
    healthProbes: driverProbes(drivers, driverCtx),
    drivers,
    tarballs: config.BOOTACTION_TARBALL_CACHE_MB > 0 ? new TarballCache(config.BOOTACTION_TARBALL_CACHE_MB * 1_048_576) : null,
    signalCommits: deps.database.kind === 'libsql' ? new GroupCommit(deps.database.db) : null,
    scheduler: deps.scheduler ?? NO_SCHEDULER,
    callWakeups,
    stopping: deps.stopping ?? null,
    referenceAssets: deps.referenceAssets ?? null,
    siteDesign: {
      source: resolver,
      cache: new LruCache<CompiledDesign>(config.DESIGN_CACHE_ENTRIES),
      // A minute of reuse: a burst of validations reads MAAS's images once. An edge that reaches no
      // site reads what the sites' agents reported (a cheap read, so a new report shows sooner).
      ruleContext: everyCallAtAgents(config) ? inventoryRuleContext(driverCtx, 10_000) : ruleContextSource(drivers.node, driverCtx, 60_000),
      reader: deps.designReader ?? inRequestReader(designLimitsOf(config)),
      box,
    },
  };
}

/** The orchestrator over a runtime's services; `owner` names this executor in leases. */
export function orchestratorFor(services: Services, owner: string): Orchestrator {
  return createOrchestrator({
    db: services.database.db,
    config: services.config,
    clock: services.clock,
    logger: services.logger.child({ component: 'orchestrator' }),
    drivers: services.drivers,
    scheduler: services.scheduler,
    siteDesign: services.siteDesign,
    fetch: services.fetch,
    owner,
  });
}
