import type { BaremetalNode } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import type { DriverContext, DriverMemo, Progress } from '../types.ts';
import { enqueueCall, latestCall, siteLastSeen, takeCall, type CallRow } from './call-store.ts';

/** Which driver the agent runs a call with: `node`, `oob:<name>` or `kubernetes`. */
export type RemoteDriverKey = 'node' | 'kubernetes' | `oob:${string}`;

/** The site a design's calls are leased by: its Region (Drydock's site) name. */
export const siteOf = (ctx: Pick<DriverContext, 'site'>) => ctx.site.region?.name ?? '';

async function waiting(ctx: DriverContext, site: string, call: CallRow, now: Date): Promise<Progress> {
  const pollMs = ctx.config.TASK_POLL_INTERVAL_SECONDS * 1000;
  if (call.state === 'leased') return { state: 'pending', detail: `running at site ${site} (call ${call.callId})`, retryAfterMs: pollMs };
  const waitedMs = now.getTime() - call.created.getTime();
  const seen = await siteLastSeen(ctx.db, site);
  const agent = seen ? `its agents were last seen ${seen.toISOString()}` : 'no agent of it was ever seen';
  if (call.attempts === 0 && waitedMs >= ctx.config.AGENT_WAIT_TIMEOUT_SECONDS * 1000) {
    return { state: 'failed', reason: `no agent of site ${site} took the call within ${ctx.config.AGENT_WAIT_TIMEOUT_SECONDS} s (AGENT_WAIT_TIMEOUT_SECONDS); ${agent}` };
  }
  const notice = `waiting for an agent of site ${site} since ${call.created.toISOString()}; ${agent}`;
  return { state: 'pending', detail: notice, notice, retryAfterMs: pollMs };
}

/**
 * A driver call run by the site's agent (DRIVER_LOCATION=agent): the first
 * call queues it (docs/site-agent.md) and answers `pending`; later calls
 * answer `pending` until an agent posted its result, then hand that result
 * over once. A `pending` result with a memo comes back with the memo, and
 * queues the next call of the chain.
 */
export async function remoteRun(
  driver: RemoteDriverKey,
  ctx: DriverContext,
  action: DriverAction,
  node: BaremetalNode | null,
  memo: DriverMemo | undefined,
): Promise<Progress> {
  const site = siteOf(ctx);
  if (!ctx.designHash) return { state: 'failed', reason: `${action} needs the task's pinned design to run at site ${site}` };
  const now = ctx.clock();
  const nodeName = node?.name ?? '';
  const last = await latestCall(ctx.db, ctx.taskId, nodeName, action);
  if (last && last.taken === null) {
    if (last.state !== 'done' || !last.result) return waiting(ctx, site, last, now);
    await takeCall(ctx.db, last.callId, now);
    return last.result.progress;
  }
  const queued = await enqueueCall(
    ctx.db,
    { site, taskId: ctx.taskId, nodeName, action, driver, request: { designHash: ctx.designHash, memo: memo ?? null } },
    last,
    now,
  );
  return waiting(ctx, site, queued, now);
}
