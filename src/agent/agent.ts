import * as v from 'valibot';
import type { Logger } from '../core/log.ts';
import type { Drivers } from '../drivers/types.ts';
import { Backoff, sleep as realSleep, untilReached, type Sleep } from './backoff.ts';
import { DesignCache, DesignUnusable } from './designs.ts';
import { EdgeRefused, TokenRefused, type EdgeClient } from './edge-client.ts';
import { CallSchema, LeaseAnswerSchema, wireProgress, type Call, type Heartbeat, type ResultBody } from './protocol.ts';
import { InventoryNudge, reportInventory } from './inventory.ts';
import { startRenewal } from './renewal.ts';
import { resultPoster } from './results.ts';
import { runCall, type BaseContext, type CallOutcome } from './run-call.ts';
import { CallSlots } from './slots.ts';
import type { Spool } from './spool.ts';

/** The edge's heartbeat answer names another site than SITE: the token belongs elsewhere. */
export class SiteMismatch extends Error {
  constructor(readonly tokenSite: string, readonly siteName: string) {
    super(`AGENT_TOKEN belongs to site ${tokenSite}, but SITE is ${siteName}: refusing to run its calls with this site's settings`);
    this.name = 'SiteMismatch';
  }
}

/** The agent stopped while waiting for the edge. */
class Stopped extends Error {}

/** The loop's timings; the defaults are docs/site-agent.md's, tests shorten them. */
export interface AgentTimings {
  heartbeatMs: number;
  /** The lease long poll's wait_seconds (0-25). */
  leaseWaitSeconds: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  minRenewMs: number;
  /** How often the node driver's inventory is read (posted when it changed); 0: never. */
  inventoryMs: number;
  /** An unchanged inventory is posted again after this long. */
  inventoryRefreshMs: number;
  /** A node driver call that finished makes a reading this long after it (so a burst of calls makes one). */
  inventorySettleMs: number;
}

export const DEFAULT_TIMINGS: AgentTimings = {
  heartbeatMs: 30_000,
  leaseWaitSeconds: 20,
  backoffMinMs: 1000,
  backoffMaxMs: 60_000,
  minRenewMs: 1000,
  inventoryMs: 60_000,
  inventoryRefreshMs: 600_000,
  inventorySettleMs: 2000,
};

export interface AgentDeps {
  client: EdgeClient;
  spool: Spool;
  designs: DesignCache;
  drivers: Drivers;
  base: BaseContext;
  siteName: string;
  heartbeat: Heartbeat;
  /** Calls run at once (AGENT_MAX_CALLS, 1-10): each with its own renewal and spooled result. */
  maxCalls: number;
  logger: Logger;
  timings?: Partial<AgentTimings>;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
}

export interface Agent {
  /** Runs until stop(); rejects with TokenRefused (401) or SiteMismatch. */
  run(): Promise<void>;
  /** Stops leasing; the calls being run are finished and their results posted once (else left in the spool). */
  stop(): void;
}

export function createAgent(deps: AgentDeps): Agent {
  const t = { ...DEFAULT_TIMINGS, ...deps.timings };
  const { client, spool, logger } = deps;
  const sleep = deps.sleep ?? realSleep;
  const now = deps.now ?? Date.now;
  const stopping = new AbortController();
  let edgeOffsetMs = 0;
  let fail: (err: Error) => void = () => {};
  const fatal = new Promise<never>((_, reject) => (fail = reject));
  fatal.catch(() => {});
  const retry = { backoff: new Backoff({ minMs: t.backoffMinMs, maxMs: t.backoffMaxMs, random: deps.random }), sleep, logger, signal: stopping.signal };

  const sendHeartbeat = async () => {
    const answer = await client.request('POST', '/heartbeat', deps.heartbeat);
    const body = (answer.body ?? {}) as { site?: unknown; server_time?: unknown };
    if (typeof body.site === 'string' && body.site !== deps.siteName) throw new SiteMismatch(body.site, deps.siteName);
    const serverTime = typeof body.server_time === 'string' ? Date.parse(body.server_time) : NaN;
    if (Number.isFinite(serverTime)) edgeOffsetMs = serverTime - now();
  };

  const { post, flush: flushSpool } = resultPoster({ client, spool, logger, retry, stopping: stopping.signal });

  const outcomeOf = async (call: Call): Promise<CallOutcome> => {
    const hash = call.design.content_hash;
    try {
      const site = await deps.designs.site(hash, async () => {
        const answer = await untilReached(retry, 'fetching a design', () => client.request('GET', `/designs/${encodeURIComponent(hash)}`));
        if (!answer) throw new Stopped();
        return { text: answer.text, contentType: answer.contentType };
      });
      return await runCall({ drivers: deps.drivers, base: deps.base, siteName: deps.siteName, logger }, call, site);
    } catch (err) {
      if (err instanceof EdgeRefused) return { progress: { state: 'failed', reason: `the edge did not give the design ${hash}: ${err.message}` } };
      if (err instanceof DesignUnusable) return { progress: { state: 'failed', reason: err.message } };
      if (err instanceof TokenRefused || err instanceof Stopped) throw err;
      // A bug reading the design fails this call, not the agent (which would fail every call after it).
      logger.error('the call could not be run', { call_id: call.call_id, error: err instanceof Error ? err.message : String(err) });
      return { progress: { state: 'failed', reason: `the site agent could not run the call: ${err instanceof Error ? err.message : String(err)}` } };
    }
  };

  const handle = async (raw: unknown) => {
    const parsed = v.safeParse(CallSchema, raw);
    if (!parsed.success) return logger.error('a leased call does not parse; not run', { error: parsed.issues[0].message });
    const call = parsed.output;
    const fields = { call_id: call.call_id, task_id: call.task_id, node: call.node, action: call.action, driver: call.driver };
    logger.info('call leased', fields);
    const renewal = startRenewal(
      { client, logger, sleep, edgeNow: () => now() + edgeOffsetMs, minRenewMs: t.minRenewMs, fatal: fail },
      call.call_id,
      call.lease_id,
      call.lease_expires,
    );
    let outcome: CallOutcome;
    try {
      outcome = await outcomeOf(call);
    } catch (err) {
      // Stopped before the call ran: no result; its lease expires and another lease runs it.
      if (err instanceof Stopped) return logger.info('stopped before the call ran; its lease will expire', fields);
      throw err;
    } finally {
      renewal.stop();
    }
    if (renewal.lost) return logger.warn('result dropped: the lease was lost while the call ran', fields);
    const body: ResultBody = { lease_id: call.lease_id, progress: wireProgress(outcome.progress) };
    if (outcome.buildData && outcome.buildData.length > 0) body.build_data = outcome.buildData;
    if (outcome.buildDataError !== undefined) body.build_data_error = outcome.buildDataError;
    const entry = { call_id: call.call_id, body, spooled: new Date(now()).toISOString() };
    await spool.write(entry);
    await post(entry);
    if (call.driver === 'node') nudge.nudge();
  };

  const nudge = new InventoryNudge();
  const slots = new CallSlots(deps.maxCalls, (err) => fail(err instanceof Error ? err : new Error(String(err))));

  const loop = async () => {
    await flushSpool();
    if ((await untilReached(retry, 'heartbeat', sendHeartbeat)) === null) return;
    logger.info('agent connected', { edge: client.edgeUrl, site: deps.siteName, drivers: deps.heartbeat.drivers });
    if (t.inventoryMs > 0) {
      const inventory = { client, node: deps.drivers.node, base: deps.base, logger, sleep, signal: stopping.signal, fatal: fail };
      const timing = { intervalMs: t.inventoryMs, refreshMs: t.inventoryRefreshMs, settleMs: t.inventorySettleMs, nudge, edgeNow: () => now() + edgeOffsetMs };
      reportInventory({ ...inventory, ...timing }).catch((err: unknown) => logger.error('inventory reports stopped', { error: String(err) }));
    }
    const timer = setInterval(() => {
      sendHeartbeat().catch((err: unknown) => {
        if (err instanceof TokenRefused || err instanceof SiteMismatch) fail(err);
        else logger.warn('heartbeat failed', { error: err instanceof Error ? err.message : String(err) });
      });
    }, t.heartbeatMs);
    try {
      while (!stopping.signal.aborted) {
        await flushSpool();
        await slots.freed();
        if (stopping.signal.aborted) break;
        const body = { wait_seconds: t.leaseWaitSeconds, max: slots.free };
        const leased = await untilReached(retry, 'leasing', () =>
          client.request('POST', '/lease', body, { waitMs: t.leaseWaitSeconds * 1000, signal: stopping.signal }),
        );
        if (leased === null) break;
        const answer = v.safeParse(LeaseAnswerSchema, leased.body);
        if (!answer.success) {
          logger.error('the lease answer does not parse', { error: answer.issues[0].message });
          await sleep(retry.backoff.next(), stopping.signal);
          continue;
        }
        for (const call of answer.output.calls) slots.run(handle(call));
      }
      await slots.drained();
    } finally {
      clearInterval(timer);
    }
  };

  return {
    async run() {
      try {
        await Promise.race([loop(), fatal]);
      } finally {
        stopping.abort();
      }
    },
    stop: () => stopping.abort(),
  };
}
