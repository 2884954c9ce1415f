import type { Authenticator } from '../auth/principal.ts';
import type { PolicyEnforcer } from '../auth/policy/enforcer.ts';
import type { Config } from '../core/config.ts';
import type { LoadReferenceAssets } from '../core/reference-assets.ts';
import type { Database, Db } from '../db/types.ts';
import type { CallWakeups } from '../drivers/remote/call-wakeups.ts';
import type { Drivers } from '../drivers/types.ts';
import type { Logger } from '../core/log.ts';
import type { Scheduler } from '../orchestrator/scheduler.ts';
import type { GroupCommit } from './bootactions/group-commit.ts';
import type { TarballCache } from './bootactions/tarball-cache.ts';
import type { SiteDesignDeps } from '../design/site-design.ts';

/** A named health check; throws (or rejects) when unhealthy. */
export interface HealthProbe {
  name: string;
  check(): Promise<string | void>;
}

/**
 * Everything the app needs, built by a runtime entry (or a test). Nothing in
 * src/app.ts reads the environment or opens a connection itself.
 */
export interface Services {
  config: Config;
  database: Database;
  authenticator: Authenticator;
  policy: PolicyEnforcer;
  logger: Logger;
  clock: () => Date;
  fetch: typeof fetch;
  /** design_ref resolution, the compiled-design cache and the rules' driver facts. */
  siteDesign: SiteDesignDeps;
  /** Rendered boot action tarballs by content address (BOOTACTION_TARBALL_CACHE_MB; null when 0). */
  tarballs: TarballCache | null;
  /** Boot action signals' write batches committed together (libSQL); null on D1: each its own batch. */
  signalCommits: GroupCommit | null;
  /** The enabled node, OOB and Kubernetes drivers. */
  drivers: Drivers;
  /** Asks the orchestrator to advance a task (now or later); set by the runtime. */
  scheduler: Scheduler;
  /** Wakes agents' lease long polls when a call of their site is queued (Node/Deno; Workers only poll). */
  callWakeups: CallWakeups;
  /**
   * Aborted when the process begins to stop (Node/Deno). Null on Workers:
   * there an isolate-wide signal would be an I/O object of another request.
   */
  stopping: AbortSignal | null;
  /** The database check of /health and /health/extended: answers and takes writes (answers cached briefly). */
  databaseHealth: HealthProbe;
  /** Checks beyond the database for /health/extended (enabled drivers). */
  healthProbes: HealthProbe[];
  /** Swagger UI's files for the API reference page (GET /api/v1.0/docs); null where the runtime has none. */
  referenceAssets: LoadReferenceAssets | null;
}

/** Who is asking: what a request knows of itself before any service runs. */
export interface RequestInfo {
  /** The request id (the caller's X-Context-Marker when valid), in logs and in a task's request context. */
  requestId: string;
  /** X-End-User, cleaned; null when absent. */
  endUser: string | null;
  /** The app's logger with the request's fields. */
  log: Logger;
}

/**
 * What every service function takes (whole, or a Pick of it): the app-wide
 * services a verb may use plus the request it serves. Built once per request
 * by contextFor; a service never sees Hono or a status code, only this.
 */
export interface ServiceContext extends RequestInfo {
  db: Db;
  config: Config;
  clock: () => Date;
  fetch: typeof fetch;
  siteDesign: SiteDesignDeps;
  drivers: Drivers;
  scheduler: Scheduler;
  callWakeups: CallWakeups;
  stopping: AbortSignal | null;
  tarballs: TarballCache | null;
  signalCommits: GroupCommit | null;
  databaseHealth: HealthProbe;
  healthProbes: HealthProbe[];
}

/** The service context of one request. */
export function contextFor(services: Services, request: RequestInfo): ServiceContext {
  return {
    ...request,
    db: services.database.db,
    config: services.config,
    clock: services.clock,
    fetch: services.fetch,
    siteDesign: services.siteDesign,
    drivers: services.drivers,
    scheduler: services.scheduler,
    callWakeups: services.callWakeups,
    stopping: services.stopping,
    tarballs: services.tarballs,
    signalCommits: services.signalCommits,
    databaseHealth: services.databaseHealth,
    healthProbes: services.healthProbes,
  };
}
