/**
 * Renewing a lease and posting a call's result (docs/site-agent.md). Both
 * are conditional writes on the live lease: the call is still `leased`
 * under this lease id, by this agent, and the lease has not run out. A
 * result and its build data are written in one batch whose every statement
 * carries that condition, so either all of it lands or none (D1 and libSQL
 * run a batch as one unit), and a second post of the same lease finds the
 * call done and writes nothing.
 */
import { and, eq, gt, sql, type SQL } from 'drizzle-orm';
import { ApiError } from '../../core/errors.ts';
import { runBatch } from '../../db/batch.ts';
import { agents, driverCalls } from '../../db/schema/agents.ts';
import { buildData } from '../../db/schema/builddata.ts';
import { BUILD_DATA_STAGES } from '../../drivers/actions.ts';
import type { Progress } from '../../drivers/types.ts';
import type { ServiceContext } from '../context.ts';
import type { AuthenticatedAgent } from './authenticate.ts';

type ResultContext = Pick<ServiceContext, 'db' | 'clock' | 'config'>;

export interface PostedBuildData {
  generator: string;
  dataFormat: string;
  dataElement: string;
  collectedDate: Date;
}

export interface PostedResult {
  leaseId: string;
  progress: Progress;
  buildData: PostedBuildData[];
  /** Why the agent could not collect the build data (it then posts none). */
  buildDataError?: string;
}

/**
 * The result as the remote driver hands it to the orchestrator: a node's
 * `done` of a build data stage says what was recorded with it, so that the
 * driver step reports it (Collected N ...) and links it, and collects
 * nothing again.
 */
function resultOf(call: { action: string; nodeName: string }, posted: PostedResult): Progress {
  const { progress } = posted;
  if (progress.state !== 'done' || call.nodeName === '' || !Object.hasOwn(BUILD_DATA_STAGES, call.action)) return progress;
  const failed = posted.buildData.length === 0 && posted.buildDataError !== undefined;
  return { ...progress, buildData: failed ? { error: posted.buildDataError! } : { saved: posted.buildData.length } };
}

const notHeld = (leaseId: string) => new ApiError('Conflict', `lease ${leaseId} is no longer held`);

/** The call, when it is one of the agent's site; 404 otherwise (another site's calls do not exist for it). */
async function callOf(ctx: ResultContext, agent: AuthenticatedAgent, callId: string) {
  const [row] = await ctx.db
    .select()
    .from(driverCalls)
    .where(and(eq(driverCalls.callId, callId.slice(0, 64)), eq(driverCalls.site, agent.site)));
  if (!row) throw new ApiError('NotFound', `No call ${callId.slice(0, 64)} for site ${agent.site}`);
  return row;
}

function liveLease(agent: AuthenticatedAgent, callId: string, leaseId: string, now: Date): SQL {
  return and(
    eq(driverCalls.callId, callId),
    eq(driverCalls.leaseId, leaseId),
    eq(driverCalls.leaseAgent, agent.agentId),
    eq(driverCalls.state, 'leased'),
    gt(driverCalls.leaseExpires, now),
  )!;
}

/** Whether the call's result was taken from this lease of this agent. */
const takenFrom = (call: { state: string; leaseId: string | null; leaseAgent: string | null }, agent: AuthenticatedAgent, leaseId: string) =>
  call.state === 'done' && call.leaseId === leaseId && call.leaseAgent === agent.agentId;

const seen = (ctx: ResultContext, agent: AuthenticatedAgent) =>
  ctx.db.update(agents).set({ lastSeen: ctx.clock() }).where(eq(agents.agentId, agent.agentId));

/** Extends the live lease by AGENT_LEASE_SECONDS from now; 409 when it is no longer held. */
export async function renewLease(ctx: ResultContext, agent: AuthenticatedAgent, callId: string, leaseId: string): Promise<{ lease_expires: string }> {
  const call = await callOf(ctx, agent, callId);
  const now = ctx.clock();
  const expires = new Date(now.getTime() + ctx.config.AGENT_LEASE_SECONDS * 1000);
  const [, renewed] = (await runBatch(ctx.db, [
    seen(ctx, agent),
    ctx.db.update(driverCalls).set({ leaseExpires: expires }).where(liveLease(agent, call.callId, leaseId, now)).returning({ id: driverCalls.callId }),
  ])) as [unknown, Array<{ id: string }>];
  if (renewed.length === 0) throw notHeld(leaseId);
  return { lease_expires: expires.toISOString() };
}

/**
 * The call's result, taken once from its live lease. The same lease posting
 * again is accepted and changes nothing; any other lease (expired, replaced,
 * revoked) is a 409. Build data needs a node: 400 for a site-wide call.
 */
export async function postResult(ctx: ResultContext, agent: AuthenticatedAgent, callId: string, posted: PostedResult): Promise<{ accepted: true }> {
  const call = await callOf(ctx, agent, callId);
  if (takenFrom(call, agent, posted.leaseId)) {
    await seen(ctx, agent);
    return { accepted: true };
  }
  if (posted.buildData.length > 0 && call.nodeName === '') {
    throw new ApiError('BadRequest', 'build_data needs a call for a node; this call is site-wide');
  }
  const now = ctx.clock();
  const live = liveLease(agent, call.callId, posted.leaseId, now);
  const { db } = ctx;
  // Build data first: its condition must see the call still leased, as the UPDATE after it does.
  const records = posted.buildData.map((b) =>
    db.insert(buildData).select(
      sql`select null, ${call.nodeName}, ${call.taskId}, ${b.collectedDate.getTime()}, ${b.generator}, ${b.dataFormat}, ${b.dataElement}
          where exists (select 1 from ${driverCalls} where ${live})`,
    ),
  );
  const results = await runBatch(db, [
    seen(ctx, agent),
    ...records,
    db
      .update(driverCalls)
      .set({ state: 'done', result: resultOf(call, posted), finished: now })
      .where(live)
      .returning({ id: driverCalls.callId }),
  ]);
  const done = results[results.length - 1] as Array<{ id: string }>;
  // Not written: a post of the same lease may have been taken in between (a retry sent twice).
  if (done.length === 0 && !takenFrom(await callOf(ctx, agent, callId), agent, posted.leaseId)) throw notHeld(posted.leaseId);
  return { accepted: true };
}
