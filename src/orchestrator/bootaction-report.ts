import { and, eq, inArray } from 'drizzle-orm';
import { bootActionStatus } from '../db/schema/bootactions.ts';
import { nodesResult } from './result.ts';
import { complete, nodeMessage, siteMessage, type StepContext, type StepFn, type StepResult } from './step.ts';
import { targetNodes } from './targets.ts';
import type { TaskMessage } from './task-store.ts';

interface ReportState {
  /** When the wait began (epoch ms): deploy_node had just finished for these nodes. */
  started: number;
  /** How many actions were still open when the last waiting message was written, and when (epoch ms). */
  open?: number;
  said?: number;
}

/** A waiting message at most this often however fast nodes report, so a 1,000-node wait stays a few messages. */
const SAY_EVERY_MS = 60_000;
/** Nodes a waiting message names; it counts the rest. */
const NAMED_NODES = 20;

interface ActionRecord {
  nodeName: string;
  actionName: string;
  actionStatus: string;
}

// D1 binds at most 100 parameters per statement.
const NAMES = 90;

/** The boot action records the deploy task (this subtask's parent) created for the nodes. */
async function recordsOf(ctx: StepContext, nodes: string[]): Promise<ActionRecord[]> {
  const deployTask = ctx.row.parentTaskId ?? ctx.row.taskId;
  const out: ActionRecord[] = [];
  for (let i = 0; i < nodes.length; i += NAMES) {
    const rows = await ctx.db
      .select({ nodeName: bootActionStatus.nodeName, actionName: bootActionStatus.actionName, actionStatus: bootActionStatus.actionStatus })
      .from(bootActionStatus)
      .where(and(eq(bootActionStatus.taskId, deployTask), inArray(bootActionStatus.nodeName, nodes.slice(i, i + NAMES))));
    out.push(...rows);
  }
  return out;
}

/**
 * Drydock's BootactionReport, the last phase of deploy_nodes: wait until
 * every `incomplete` (signaling) boot action of the nodes is final or
 * BOOTACTION_FINAL_STATUS_TIMEOUT has passed, then report each action and
 * mark each node: success when none failed or timed out (non-signaling
 * actions stay `unreported` and do not count), failure otherwise.
 *
 * Differences from Drydock: the wait re-schedules the step instead of
 * sleeping in a thread; only the actions of this deployment count (Drydock
 * read every record of the node, so a stale action from an earlier
 * deployment could fail a new one); the timeout is in seconds (Drydock's
 * bootaction_final_status is minutes).
 */
export const bootactionReportStep: StepFn = async (ctx) => {
  const site = await ctx.site();
  const nodes = targetNodes(site, ctx.row.nodeFilter);
  const state = ctx.row.stepState as Partial<ReportState> | null;
  const now = ctx.now.getTime();
  const started = typeof state?.started === 'number' ? state.started : now;
  const deadline = started + ctx.config.BOOTACTION_FINAL_STATUS_TIMEOUT * 1000;
  const records = await recordsOf(ctx, nodes);
  const open = records.filter((r) => r.actionStatus === 'incomplete');
  if (open.length > 0 && now < deadline) return waitMore(ctx, { ...state, started }, open, deadline);

  const order = new Map([...site.bootActions.keys()].map((name, i) => [name, i]));
  records.sort((a, b) => (order.get(a.actionName) ?? Infinity) - (order.get(b.actionName) ?? Infinity));
  const successes: string[] = [];
  const failures: string[] = [];
  const reasons: Record<string, string> = {};
  const messages: TaskMessage[] = [];
  for (const node of nodes) {
    const problems: string[] = [];
    for (const r of records.filter((x) => x.nodeName === node)) {
      if (r.actionStatus === 'success' || r.actionStatus === 'failure') {
        const failed = r.actionStatus === 'failure';
        messages.push(nodeMessage(node, `Boot action ${r.actionName} completed with status ${r.actionStatus}`, failed));
        if (failed) problems.push(`boot action ${r.actionName} completed with status ${r.actionStatus}`);
      } else if (r.actionStatus === 'incomplete') {
        messages.push(nodeMessage(node, `Boot action ${r.actionName} timed out.`, true));
        problems.push(`boot action ${r.actionName} timed out`);
      }
    }
    if (problems.length === 0) {
      successes.push(node);
    } else {
      failures.push(node);
      reasons[node] = problems.join('; ');
    }
  }
  return complete({ status: nodesResult(successes.length, failures.length), successes, failures }, messages, {
    stepState: { started, reasons },
  });
};

/**
 * Waits on. Says which nodes and actions are still open when that set has
 * changed (it only shrinks, so its size tells), at most once a minute: a
 * poll that changes nothing adds no message.
 */
function waitMore(ctx: StepContext, state: ReportState, open: ActionRecord[], deadline: number): StepResult {
  const now = ctx.now.getTime();
  const messages: TaskMessage[] = [];
  const next: ReportState = { ...state };
  const changed = state.open !== open.length;
  if (changed && (state.said === undefined || now - state.said >= SAY_EVERY_MS)) {
    messages.push(siteMessage(waitingText(open, deadline)));
    next.open = open.length;
    next.said = now;
  }
  const nodes = new Set(open.map((r) => r.nodeName)).size;
  return {
    status: 'running',
    step: 'waiting',
    stepState: { ...next },
    result: { status: 'incomplete' },
    messages,
    nextDelayMs: Math.max(0, Math.min(ctx.pollMs, deadline - now)),
    wait: { on: `boot action reports of ${nodes} node(s) (${open.length} action(s))`, until: deadline },
  };
}

function waitingText(open: ActionRecord[], deadline: number): string {
  const byNode = new Map<string, string[]>();
  const sorted = [...open].sort((a, b) => a.nodeName.localeCompare(b.nodeName) || a.actionName.localeCompare(b.actionName));
  for (const r of sorted) byNode.set(r.nodeName, [...(byNode.get(r.nodeName) ?? []), r.actionName]);
  const named = [...byNode].slice(0, NAMED_NODES).map(([node, actions]) => `${node} (${actions.join(', ')})`);
  const more = byNode.size > NAMED_NODES ? ` and ${byNode.size - NAMED_NODES} more node(s)` : '';
  return `Waiting until ${new Date(deadline).toISOString()} for boot action reports of ${byNode.size} node(s): ${named.join(', ')}${more}`;
}
