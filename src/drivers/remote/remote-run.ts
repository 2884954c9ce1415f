import type { BaremetalNode } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import type { SecretBox } from '../../core/secret-box.ts';
import type { BootActionDelivery, DriverContext, DriverMemo, Progress } from '../types.ts';
import type { CallWakeups } from './call-wakeups.ts';
import { enqueueCall, latestCall, siteLastSeen, takeCall, type CallRequest, type CallRow } from './call-store.ts';

/** Which driver the agent runs a call with: `node`, `oob:<name>` or `kubernetes`. */
export type RemoteDriverKey = 'node' | 'kubernetes' | `oob:${string}`;

/** The call that hands a deploying node its boot action key at the site (not a DriverAction: no step runs it). */
export const DELIVER_CONTEXT = 'deliver_boot_action_context';

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
 * Queues the hand-over of a deploying node's boot action context (its key)
 * to the site's agent, sealed with the design key: the key is in no row in
 * clear. It is queued under the deploy task (whose step made the context);
 * deploy_node waits for it (remoteRun, deliveryFirst).
 */
export async function remoteDelivery(
  ctx: DriverContext,
  node: BaremetalNode,
  payload: BootActionDelivery,
  box: SecretBox | undefined,
  wakeups?: CallWakeups,
): Promise<void> {
  if (!box) throw new Error('boot action keys reach a site agent sealed, and this edge has no design key to seal them with');
  if (!ctx.designHash) throw new Error(`the boot action context of ${node.name} needs the task's pinned design`);
  const previous = await latestCall(ctx.db, ctx.taskId, node.name, DELIVER_CONTEXT);
  const request = { design: { content_hash: ctx.designHash }, memo: null, sealedContext: await box.seal(JSON.stringify(payload)) };
  const site = siteOf(ctx);
  await enqueueCall(ctx.db, { site, taskId: ctx.taskId, nodeName: node.name, action: DELIVER_CONTEXT, driver: 'node', request }, previous, ctx.clock());
  wakeups?.queued(site);
}

/**
 * What deploy_node answers before its call is queued while the node's key
 * is not at the site (MAAS: the delivery starts the deploy with the key in
 * its user data), or null once it is. The delivery is the deploy task's
 * (the subtask's parent made the context); a deploy attempt takes its
 * outcome. One that failed fails the attempt that takes it; a retry after
 * it delivers the same sealed context again (its key is still the node's:
 * a retry makes no new context) and waits for that delivery. A delivery
 * that was done needs no other: the key is at the site, and the deploy the
 * delivery started is what the retry follows.
 */
async function deliveryFirst(ctx: DriverContext, site: string, nodeName: string, now: Date, wakeups?: CallWakeups): Promise<Progress | null> {
  const deployTask = ctx.parentTaskId ?? ctx.taskId;
  const delivery = await latestCall(ctx.db, deployTask, nodeName, DELIVER_CONTEXT);
  if (!delivery) return null;
  if (delivery.state !== 'done' || !delivery.result) return waiting(ctx, site, delivery, now);
  if (delivery.result.state !== 'failed') {
    await takeCall(ctx.db, delivery.callId, now);
    return null;
  }
  if (delivery.taken === null) {
    await takeCall(ctx.db, delivery.callId, now);
    return { state: 'failed', reason: `the boot action key did not reach the site: ${delivery.result.reason}` };
  }
  const again = { site, taskId: deployTask, nodeName, action: DELIVER_CONTEXT, driver: 'node', request: delivery.request };
  const queued = await enqueueCall(ctx.db, again, delivery, now);
  wakeups?.queued(site);
  return waiting(ctx, site, queued, now);
}

/**
 * A driver call run by the site's agent (DRIVER_LOCATION=agent): the first
 * call queues it (docs/site-agent.md) and answers `pending`; later calls
 * answer `pending` until an agent posted its result, then hand that result
 * over once. A `pending` result with a memo comes back with the memo, and
 * queues the next call of the chain. deploy_node is queued only once the
 * node's boot action key is at the site (deliveryFirst).
 */
export async function remoteRun(
  driver: RemoteDriverKey,
  ctx: DriverContext,
  action: DriverAction,
  node: BaremetalNode | null,
  memo: DriverMemo | undefined,
  wakeups?: CallWakeups,
): Promise<Progress> {
  const site = siteOf(ctx);
  if (!ctx.designHash) return { state: 'failed', reason: `${action} needs the task's pinned design to run at site ${site}` };
  const now = ctx.clock();
  const nodeName = node?.name ?? '';
  const last = await latestCall(ctx.db, ctx.taskId, nodeName, action);
  if (last && last.taken === null) {
    if (last.state !== 'done' || !last.result) return waiting(ctx, site, last, now);
    await takeCall(ctx.db, last.callId, now);
    return last.result;
  }
  if (action === 'deploy_node') {
    const before = await deliveryFirst(ctx, site, nodeName, now, wakeups);
    if (before) return before;
  }
  const request: CallRequest = { design: { content_hash: ctx.designHash }, memo: memo ?? null };
  const queued = await enqueueCall(ctx.db, { site, taskId: ctx.taskId, nodeName, action, driver, request }, last, now);
  // After the insert: a woken lease finds the row.
  wakeups?.queued(site);
  return waiting(ctx, site, queued, now);
}
