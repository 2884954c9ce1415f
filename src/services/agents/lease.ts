/**
 * Leasing driver calls (docs/site-agent.md). As the orchestrator's task
 * leases (orchestrator/lease.ts), one conditional UPDATE … RETURNING claims
 * a call: it matches only a call of the agent's site that is queued, or
 * leased with its lease run out, so of agents racing for one call exactly
 * one gets the row back; D1 has no transactions and needs none here.
 */
import { and, asc, eq, lte, or, sql } from 'drizzle-orm';
import { agents, driverCalls } from '../../db/schema/agents.ts';
import type { Db } from '../../db/types.ts';
import type { ServiceContext } from '../context.ts';
import type { AuthenticatedAgent } from './authenticate.ts';

type LeaseContext = Pick<ServiceContext, 'db' | 'clock' | 'config' | 'siteDesign' | 'callWakeups'>;

export interface LeasedCall {
  call_id: string;
  lease_id: string;
  lease_expires: string;
  task_id: string;
  node: string | null;
  action: string;
  driver: string;
  design: { content_hash: string | null };
  memo: Record<string, unknown> | null;
  attempt: number;
  /** deliver_boot_action_context only: the node's key and actions, opened from the sealed request. */
  boot_action_context?: { node_key: string; actions: Array<{ name: string; action_id: string; signaling: boolean }>; packages: Record<string, string | null> };
}

/**
 * What the orchestrator's remote driver writes in `driver_calls.request`:
 * the pinned design's content hash and the memo of the last pending answer.
 */
export interface CallRequest {
  design?: { content_hash?: string };
  memo?: Record<string, unknown> | null;
  /** A deploying node's BootActionDelivery as JSON, sealed with the design key (drivers/remote/remote-run.ts). */
  sealedContext?: string;
}

interface Delivery {
  nodeKey: string;
  actions: Array<{ name: string; actionId: string; signaling: boolean }>;
  packages: Record<string, string | null>;
}

/** Until `ms` passed, the watch woke or the client went away, whichever comes first. */
function nextLook(ms: number, woken: Promise<void>, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([timeout, woken, aborted]).finally(() => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  });
}

/** Leasable: queued, or leased with the lease run out. */
const leasable = (now: Date) =>
  or(eq(driverCalls.state, 'queued'), and(eq(driverCalls.state, 'leased'), lte(driverCalls.leaseExpires, now)));

type CallRow = typeof driverCalls.$inferSelect;

async function viewOf(ctx: LeaseContext, row: CallRow): Promise<LeasedCall> {
  const request = (row.request ?? {}) as CallRequest;
  const view = plainView(row, request);
  if (!request.sealedContext) return view;
  const d = JSON.parse(await ctx.siteDesign.box.open(request.sealedContext)) as Delivery;
  const actions = d.actions.map((a) => ({ name: a.name, action_id: a.actionId, signaling: a.signaling }));
  return { ...view, boot_action_context: { node_key: d.nodeKey, actions, packages: d.packages } };
}

function plainView(row: CallRow, request: CallRequest): LeasedCall {
  return {
    call_id: row.callId,
    lease_id: row.leaseId!,
    lease_expires: row.leaseExpires!.toISOString(),
    task_id: row.taskId,
    node: row.nodeName === '' ? null : row.nodeName,
    action: row.action,
    driver: row.driver,
    design: { content_hash: request.design?.content_hash ?? null },
    memo: request.memo ?? null,
    attempt: row.attempts,
  };
}

/**
 * The agent is still not revoked, checked in the claim itself: a long poll
 * authenticated before a revocation must not lease the calls the revocation
 * just queued again (it would be woken by exactly that).
 */
const notRevoked = (agent: AuthenticatedAgent) =>
  sql`exists (select 1 from ${agents} where ${agents.agentId} = ${agent.agentId} and ${agents.revoked} is null)`;

async function claim(db: Db, agent: AuthenticatedAgent, callId: string, now: Date, leaseMs: number): Promise<CallRow | null> {
  const rows = await db
    .update(driverCalls)
    .set({
      state: 'leased',
      leaseId: crypto.randomUUID(),
      leaseAgent: agent.agentId,
      leaseExpires: new Date(now.getTime() + leaseMs),
      attempts: sql`${driverCalls.attempts} + 1`,
    })
    .where(and(eq(driverCalls.callId, callId), eq(driverCalls.site, agent.site), leasable(now), notRevoked(agent)))
    .returning();
  // With RETURNING, count the rows (libSQL's rowsAffected reads 0).
  return rows[0] ?? null;
}

/** One look: leases up to `max` calls of the agent's site, oldest first. */
async function leaseOnce(ctx: LeaseContext, agent: AuthenticatedAgent, max: number): Promise<LeasedCall[]> {
  const now = ctx.clock();
  // A few more candidates than wanted: another agent may win some of them.
  const candidates = await ctx.db
    .select({ callId: driverCalls.callId })
    .from(driverCalls)
    .where(and(eq(driverCalls.site, agent.site), leasable(now)))
    .orderBy(asc(driverCalls.created), asc(driverCalls.callId))
    .limit(max * 3);
  const leased: LeasedCall[] = [];
  for (const { callId } of candidates) {
    if (leased.length >= max) break;
    const row = await claim(ctx.db, agent, callId, now, ctx.config.AGENT_LEASE_SECONDS * 1000);
    if (row) leased.push(await viewOf(ctx, row));
  }
  return leased;
}

export async function touchAgent(ctx: Pick<ServiceContext, 'db' | 'clock'>, agent: AuthenticatedAgent): Promise<void> {
  await ctx.db.update(agents).set({ lastSeen: ctx.clock() }).where(eq(agents.agentId, agent.agentId));
}

/**
 * Long poll: leases what there is, else waits until a call of the site is
 * queued in this process (ctx.callWakeups) or `pollMs` passed, and looks
 * again, until `waitSeconds` (wall time) have passed or `signal` (the client
 * went away) aborts; answers possibly none. The watch is armed before each
 * look, so a call queued between the look and the wait still wakes it, and
 * closed however the request ends.
 */
export async function leaseCalls(
  ctx: LeaseContext,
  agent: AuthenticatedAgent,
  input: { waitSeconds: number; max: number },
  signal?: AbortSignal,
): Promise<LeasedCall[]> {
  await touchAgent(ctx, agent);
  const deadline = Date.now() + Math.min(input.waitSeconds, ctx.config.AGENT_LEASE_WAIT_MAX_SECONDS) * 1000;
  const wakeups = ctx.callWakeups;
  for (;;) {
    const watch = wakeups.watch(agent.site);
    try {
      const leased = await leaseOnce(ctx, agent, input.max);
      const left = deadline - Date.now();
      if (leased.length > 0 || left <= 0 || signal?.aborted) return leased;
      await nextLook(Math.min(wakeups.pollMs, left), watch.woken, signal);
      // A client gone while waiting gets nothing leased: the call would sit in a lease nobody runs.
      if (signal?.aborted) return [];
    } finally {
      watch.close();
    }
  }
}
