import type { BaremetalNode } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import type { SecretBox } from '../../core/secret-box.ts';
import type { BootActionDelivery, DriverContext, DriverMemo, Progress } from '../types.ts';
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
 * clear. It is queued under the deploy task (the step that made the
 * context), and each one is a new deploy attempt's: the next deploy_node
 * call of its subtask waits for it (remoteRun), a retry's as the first.
 */
export async function remoteDelivery(ctx: DriverContext, node: BaremetalNode, payload: BootActionDelivery, box: SecretBox | undefined): Promise<void> {
  if (!box) throw new Error('boot action keys reach a site agent sealed, and this edge has no design key to seal them with');
  if (!ctx.designHash) throw new Error(`the boot action context of ${node.name} needs the task's pinned design`);
  const previous = await latestCall(ctx.db, ctx.taskId, node.name, DELIVER_CONTEXT);
  const request = { design: { content_hash: ctx.designHash }, memo: null, sealedContext: await box.seal(JSON.stringify(payload)) };
  await enqueueCall(ctx.db, { site: siteOf(ctx), taskId: ctx.taskId, nodeName: node.name, action: DELIVER_CONTEXT, driver: 'node', request }, previous, ctx.clock());
}

/**
 * A driver call run by the site's agent (DRIVER_LOCATION=agent): the first
 * call queues it (docs/site-agent.md) and answers `pending`; later calls
 * answer `pending` until an agent posted its result, then hand that result
 * over once. A `pending` result with a memo comes back with the memo, and
 * queues the next call of the chain. deploy_node is queued only after the
 * node's newest boot action delivery, when no deploy_node call followed it
 * yet, and fails when that delivery failed.
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
    return last.result;
  }
  const request: CallRequest = { design: { content_hash: ctx.designHash }, memo: memo ?? null };
  if (action === 'deploy_node') {
    const delivery = await latestCall(ctx.db, ctx.parentTaskId ?? ctx.taskId, nodeName, DELIVER_CONTEXT);
    if (delivery && delivery.callId !== last?.request.delivery) {
      // A delivery no deploy_node call followed yet starts this attempt: the deploy starts at the
      // site once the node's key is there (MAAS: in its user data), as in-process.
      if (delivery.state !== 'done' || !delivery.result) return waiting(ctx, site, delivery, now);
      if (delivery.result.state === 'failed') return { state: 'failed', reason: `the boot action key did not reach the site: ${delivery.result.reason}` };
    }
    if (delivery) request.delivery = delivery.callId;
  }
  const queued = await enqueueCall(ctx.db, { site, taskId: ctx.taskId, nodeName, action, driver, request }, last, now);
  return waiting(ctx, site, queued, now);
}
