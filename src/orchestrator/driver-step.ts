import type { BaremetalNode, SiteModel } from '../design/model.ts';
import type { DriverContext, DriverMemo, Progress } from '../drivers/types.ts';
import { driverFor, NO_KUBERNETES, SITE_ACTIONS } from './driver-pick.ts';
import { nodesResult } from './result.ts';
import { buildDataMessage, collectBuildData, detailLogs } from './step-build-data.ts';
import { complete, nodeMessage, siteMessage, type StepContext, type StepResult } from './step.ts';
import { targetNodes } from './targets.ts';
import type { TaskMessage } from './task-store.ts';
import { BUILD_DATA_STAGES, DRIVER_ACTIONS, type DriverAction } from '../drivers/actions.ts';

/** A driver subtask's step_state. */
export interface DriverStepState {
  /** The OOB driver the parent chose for this subtask's nodes. */
  driver?: string;
  /** Nodes not finished yet, in site order (absent before the first step). */
  remaining?: string[];
  /** When a node that answered `pending` may be asked again (epoch ms). */
  due?: Record<string, number>;
  /** What each pending node's driver asked to be handed back on its next call. */
  memos?: Record<string, DriverMemo>;
  /** Why each failed node failed, for the parent's messages. */
  reasons?: Record<string, string>;
  /** The last notice of each pending node ('' for the site), so each is a message once. */
  notices?: Record<string, string>;
}

/** A pending answer's notice as a message, when it is new for the node. */
function noticeOf(state: DriverStepState, name: string, answer: Progress): string | null {
  if (answer.state !== 'pending' || !answer.notice || state.notices?.[name] === answer.notice) return null;
  state.notices = { ...state.notices, [name]: answer.notice };
  return answer.notice;
}

/**
 * One step of a driver subtask (Drydock's driver task): call the driver
 * once for at most `nodesPerStep` nodes that are due, record done and failed
 * nodes, and come back when the earliest pending node may be asked again.
 */
export async function driverStep(ctx: StepContext): Promise<StepResult> {
  const action = ctx.row.action as DriverAction;
  const state = (ctx.row.stepState ?? {}) as DriverStepState;
  const site = await ctx.site();
  const dctx = ctx.driverContext(site);
  return SITE_ACTIONS.has(action) ? siteStep(ctx, action, state, dctx) : nodesStep(ctx, action, state, site, dctx);
}

async function call(
  ctx: StepContext,
  action: DriverAction,
  state: DriverStepState,
  dctx: DriverContext,
  node: BaremetalNode | null,
  memo?: DriverMemo,
): Promise<Progress> {
  const driver = driverFor(ctx.drivers, action, state.driver, node);
  if (!driver) {
    const kind = DRIVER_ACTIONS[action];
    if (kind === 'kubernetes') return { state: 'failed', reason: NO_KUBERNETES };
    if (state.driver !== undefined) return { state: 'failed', reason: `OOB driver ${state.driver} is not enabled` };
    return { state: 'failed', reason: `OOB type ${node?.oob.type ?? 'none'} is not supported` };
  }
  if (!driver.actions.has(action)) return { state: 'failed', reason: `the ${driver.name} driver does not support ${action}` };
  try {
    return await driver.run(dctx, action, node, memo);
  } catch (err) {
    ctx.logger.warn('driver call failed', { node: node?.name ?? null, error: String(err) });
    return { state: 'failed', reason: err instanceof Error ? err.message : String(err) };
  }
}

const withDetail = (text: string, detail: string | undefined) => (detail ? `${text}: ${detail}` : text);

async function siteStep(
  ctx: StepContext,
  action: DriverAction,
  state: DriverStepState,
  dctx: DriverContext,
): Promise<StepResult> {
  const progress = await call(ctx, action, state, dctx, null);
  const kept = state.driver === undefined ? {} : { driver: state.driver };
  switch (progress.state) {
    case 'done':
      return complete({ status: 'success' }, [siteMessage(withDetail(`${action} succeeded`, progress.detail))], {
        stepState: kept,
      });
    case 'failed':
      return complete({ status: 'failure' }, [siteMessage(`${action} failed: ${progress.reason}`, true)], {
        stepState: { ...kept, reasons: { '': progress.reason } },
      });
    case 'pending': {
      const next = { ...state };
      const notice = noticeOf(next, '', progress);
      return {
        status: 'running',
        step: 'calling',
        stepState: next,
        result: { status: 'incomplete' },
        messages: notice ? [siteMessage(`${action}: ${notice}`)] : [],
        nextDelayMs: progress.retryAfterMs ?? ctx.pollMs,
        wait: { on: `the driver to finish ${action}` },
      };
    }
  }
}

async function nodesStep(
  ctx: StepContext,
  action: DriverAction,
  state: DriverStepState,
  site: SiteModel,
  dctx: DriverContext,
): Promise<StepResult> {
  const remaining = state.remaining ?? targetNodes(site, ctx.row.nodeFilter);
  const due = { ...state.due };
  const memos = { ...state.memos };
  const reasons = { ...state.reasons };
  const noticed: DriverStepState = { notices: state.notices };
  const now = ctx.now.getTime();
  const batch: string[] = [];
  for (const name of remaining) {
    if ((due[name] ?? 0) > now) continue;
    batch.push(name);
    if (batch.length >= ctx.nodesPerStep) break;
  }
  const answers = await Promise.all(
    batch.map((name) => {
      const node = site.nodes.get(name);
      if (!node) return { state: 'failed', reason: 'the node is not in the site design' } satisfies Progress;
      return call(ctx, action, state, dctx, node, memos[name]);
    }),
  );

  const successes = [...ctx.row.resultSuccesses];
  const failures = [...ctx.row.resultFailures];
  const messages: TaskMessage[] = [];
  const finished = new Set<string>();
  const stage = BUILD_DATA_STAGES[action];
  const collectFrom: BaremetalNode[] = [];
  let recorded = 0;
  batch.forEach((name, i) => {
    const answer = answers[i] as Progress;
    if (answer.state === 'pending') {
      const notice = noticeOf(noticed, name, answer);
      if (notice) messages.push(nodeMessage(name, `${action} on ${name}: ${notice}`));
      due[name] = now + (answer.retryAfterMs ?? ctx.pollMs);
      if (answer.memo) memos[name] = answer.memo;
      else delete memos[name];
      return;
    }
    finished.add(name);
    delete due[name];
    delete memos[name];
    if (answer.state === 'done') {
      successes.push(name);
      messages.push(nodeMessage(name, withDetail(`${action} succeeded on ${name}`, answer.detail)));
      const node = site.nodes.get(name);
      if (!stage || !node) return;
      // A site agent's build data came with its answer, already recorded: reported, not collected again.
      if (answer.buildData) {
        messages.push(buildDataMessage(name, answer.buildData));
        if ('saved' in answer.buildData) recorded += answer.buildData.saved;
      } else {
        collectFrom.push(node);
      }
    } else {
      failures.push(name);
      reasons[name] = answer.reason;
      messages.push(nodeMessage(name, `${action} failed on ${name}: ${answer.reason}`, true));
    }
  });

  const buildData = stage ? await collectBuildData(ctx, dctx, collectFrom, stage, messages) : [];
  const links = buildData.length > 0 || recorded > 0 ? detailLogs(ctx) : undefined;
  const left = remaining.filter((n) => !finished.has(n));
  if (left.length === 0) {
    return complete(
      { status: nodesResult(successes.length, failures.length), successes, failures, links },
      messages,
      { stepState: { ...(state.driver === undefined ? {} : { driver: state.driver }), reasons }, buildData },
    );
  }
  let wake = Number.POSITIVE_INFINITY;
  for (const name of left) wake = Math.min(wake, due[name] ?? now);
  return {
    status: 'running',
    step: 'calling',
    stepState: { ...state, remaining: left, due, reasons, memos: Object.keys(memos).length > 0 ? memos : undefined, notices: noticed.notices },
    result: { status: 'incomplete', successes, failures, links },
    messages,
    buildData,
    nextDelayMs: Math.max(0, wake - now),
    wait: { on: `the driver to finish ${action} on ${left.length} node(s)` },
  };
}
