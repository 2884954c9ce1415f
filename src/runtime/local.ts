import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { createApp } from '../app.ts';
import { loadConfig, type Config } from '../core/config.ts';
import { openLibsqlDatabase } from '../db/libsql.ts';
import type { AppEnv } from '../http/env.ts';
import { createLogger, type Logger } from '../core/log.ts';
import { createServices, orchestratorFor } from '../compose.ts';
import { designLimitsOf } from '../design/reader.ts';
import { createDesignWorkerPool } from './design-worker/pool.ts';
import { installLabDisk } from '../drivers/fake/machine-memory.ts';
import { ensureAdminToken } from './admin-token.ts';
import { createLabDisk } from './fake-lab-disk.ts';
import { checkDesignFileRoot, readDesignFile } from './read-design-file.ts';
import { createTimerScheduler } from './timer-scheduler.ts';
import { inProcessWakeups } from '../drivers/remote/call-wakeups.ts';
import { kubernetesFetchFor } from './kubernetes-fetch.ts';
import { redfishFetchFor } from './redfish-fetch.ts';
import { createCommandRunner } from './command-runner.ts';
import { designKeyFor } from './design-key.ts';
import { readReferenceAssets } from './reference-assets.ts';

export interface LocalRuntime {
  app: Hono<AppEnv>;
  config: Config;
  logger: Logger;
  /**
   * Start-up lines (where it listens, how to authenticate) are written at any
   * LOG_LEVEL: an operator and scripts using PORT=0 need them.
   */
  announce: Logger;
  /** Human instructions for authenticating, printed at start. */
  authHint: string;
  /**
   * Called by the entry once it listens: PUBLIC_URL, when not configured,
   * becomes http://HOST:<actual port> (PORT=0 picks the port only then).
   */
  listening(port: number): void;
  /** The process is stopping: open event streams end now (with `retry`), so the listener can close. */
  drain(): void;
  close(): Promise<void>;
}

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Node and Deno share everything but the HTTP listener. */
export async function prepareLocal(env: Record<string, string | undefined>): Promise<LocalRuntime> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL });
  const publicUrlSet = config.PUBLIC_URL !== undefined;
  const listening = (port: number) => {
    if (publicUrlSet) return;
    const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST === '::' ? '[::1]' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    // The config object is shared with the services, so the drivers see it from now on.
    config.PUBLIC_URL = `http://${host}:${port}`;
  };
  if (config.PORT !== 0) listening(config.PORT);
  if (config.DESIGN_FILE_ROOT) await checkDesignFileRoot(config.DESIGN_FILE_ROOT);
  const redfishFetch = config.OOB_DRIVER.includes('redfish') ? await redfishFetchFor(config, logger) : undefined;
  const kubernetesFetch = await kubernetesFetchFor(config);
  const designKey = await designKeyFor(config);
  if (designKey.created) {
    logger.info(`Generated the design key in ${designKey.path}: stored designs are encrypted with it; keep it with the database`);
  }
  installLabDisk(config.FAKE_LAB_DISK_DIR ? createLabDisk(config.FAKE_LAB_DISK_DIR) : null);
  const database = await openLibsqlDatabase({
    url: config.DATABASE_URL,
    authToken: config.DATABASE_AUTH_TOKEN,
    busyTimeoutMs: config.DATABASE_BUSY_TIMEOUT_MS,
    synchronous: config.DATABASE_SYNCHRONOUS,
    migrationsFolder: MIGRATIONS,
  });
  let authHint = '';
  const extraTokens = [];
  if (config.AUTH_MODE === 'token' && !config.AUTH_TOKENS) {
    const admin = await ensureAdminToken(config.ADMIN_TOKEN_FILE);
    extraTokens.push(admin.entry);
    authHint = `${admin.created ? 'Generated an' : 'Using the'} admin token in ${admin.path}; send it as X-Auth-Token (e.g. curl -H "X-Auth-Token: $(cat ${admin.path})" ...)`;
  } else if (config.AUTH_MODE === 'token') {
    authHint = 'Send one of the tokens configured in AUTH_TOKENS as X-Auth-Token or Authorization: Bearer';
  } else if (config.AUTH_MODE === 'keystone') {
    authHint = `Send a Keystone token from ${config.KEYSTONE_AUTH_URL} as X-Auth-Token`;
  } else {
    authHint = 'AUTH_MODE=none: no authentication (every request is an administrator)';
  }
  const policyFileText = config.POLICY_FILE ? await readFile(config.POLICY_FILE, 'utf8') : undefined;
  // Sweeping at the poll interval (one indexed query) means a restarted or
  // crashed process's tasks resume within one interval, not one minute.
  const timers = createTimerScheduler({
    logger: logger.child({ component: 'scheduler' }),
    sweepIntervalMs: config.TASK_POLL_INTERVAL_SECONDS * 1000,
  });
  const designReader = createDesignWorkerPool({
    limits: designLimitsOf(config),
    memoryMb: config.DESIGN_WORKER_MEMORY_MB,
    workers: config.DESIGN_PARSE_WORKERS,
    logger: logger.child({ component: 'design-reader' }),
  });
  const stopping = new AbortController();
  const services = createServices({
    config,
    database,
    logger,
    policyFileText,
    extraTokens,
    readFile: readDesignFile,
    scheduler: timers,
    designReader,
    redfishFetch,
    kubernetesFetch,
    commandRunner: createCommandRunner(),
    designKey: designKey.key,
    // The orchestrator queues calls in this process: it wakes the agents' waiting leases at once.
    callWakeups: inProcessWakeups(),
    stopping: stopping.signal,
    referenceAssets: readReferenceAssets,
  });
  // Tasks left by an earlier run (or another process) are picked up by the
  // sweep at start: a restart resumes a deploy where its last saved step left it.
  timers.start(orchestratorFor(services, `local-${crypto.randomUUID()}`));
  const announce = createLogger({ level: 'info' });
  const close = async () => {
    await timers.stop();
    await designReader.close();
    await database.close();
  };
  return { app: createApp(services), config, logger, announce, authHint, close, listening, drain: () => stopping.abort() };
}
