import { oobDriverFor, NO_KUBERNETES } from './driver-pick.ts';
import { nodesResult } from './result.ts';
import { complete, nodeMessage, siteMessage, taskMessage, waitingOn, type StepContext, type StepFn, type StepResult } from './step.ts';
import { isLive, readSubtasks, reasonsOf, type SubtaskView } from './subtasks.ts';
import { targetNodes } from './targets.ts';
import { nodeFilterOf, type TaskMessage } from './task-store.ts';
import { type OrchestratorAction } from './types.ts';
import { DRIVER_ACTIONS, type DriverAction } from '../drivers/actions.ts';

/** What a phase's `before` hook answers: nodes that cannot enter the phase, and messages. */
export interface PhaseEntry {
  failures: Record<string, string>;
  messages: TaskMessage[];
}

export interface NodePhase {
  /** A driver action, or one the orchestrator carries out itself (one subtask for all nodes). */
  action: DriverAction | OrchestratorAction;
  /** Runs once when the phase starts, on the nodes entering it (e.g. boot action contexts before deploy_node). */
  before?: (ctx: StepContext, nodes: string[]) => Promise<PhaseEntry>;
  /** Drydock's retry_task(max_attempts): the subtask runs again for its failed nodes up to this many times. */
  retries?: number;
}

export interface NodePlan {
  phases: NodePhase[];
  /** Checked at the first step; a result ends the task there (e.g. no kubernetes driver). */
  precondition?: (ctx: StepContext) => StepResult | null;
}

interface PlanState {
  phase: number;
  /** Nodes that entered the phase. */
  nodes: string[];
  /** The phase's subtasks. */
  waiting: string[];
}

/**
 * Drydock's node actions as a chain of phases: each phase is one driver
 * action in subtasks (one per OOB driver for OOB actions, as Drydock
 * partitions nodes by OOB type), and only the nodes that succeeded a phase
 * go on to the next. A node's failure is bubbled up at once with its reason;
 * the nodes that pass the last phase are the task's successes.
 */
export function nodePlanStep(plan: NodePlan): StepFn {
  return async (ctx) => {
    const state = ctx.row.stepState as PlanState | null;
    if (ctx.row.step === null || state === null) return firstStep(ctx, plan);
    const subs = await readSubtasks(ctx.db, state.waiting);
    const active = subs.filter((s) => isLive(s.status)).map((s) => s.taskId);
    if (active.length > 0) return waitingOn(ctx, state, active);
    return phaseDone(ctx, plan, state, subs);
  };
}

async function firstStep(ctx: StepContext, plan: NodePlan): Promise<StepResult> {
  const refused = plan.precondition?.(ctx);
  if (refused) return refused;
  const nodes = targetNodes(await ctx.site(), ctx.row.nodeFilter);
  if (nodes.length === 0) return complete({ status: 'success' }, [siteMessage('No nodes in scope, no work to do.')]);
  return startPhase(ctx, plan, 0, nodes, [], []);
}

async function startPhase(
  ctx: StepContext,
  plan: NodePlan,
  index: number,
  nodes: string[],
  failures: string[],
  messages: TaskMessage[],
): Promise<StepResult> {
  const phase = plan.phases[index] as NodePhase;
  const kind = phase.action in DRIVER_ACTIONS ? DRIVER_ACTIONS[phase.action as DriverAction] : null;
  const site = await ctx.site();
  const groups = new Map<string, string[]>();
  const failed = new Set(failures);
  const entry = phase.before ? await phase.before(ctx, nodes) : { failures: {}, messages: [] };
  messages.push(...entry.messages);
  for (const name of nodes) {
    const refused = entry.failures[name];
    if (refused !== undefined) {
      failed.add(name);
      messages.push(nodeMessage(name, `${phase.action} failed on ${name}: ${refused}`, true));
      continue;
    }
    let group = '';
    if (kind === 'oob') {
      const type = site.nodes.get(name)?.oob.type ?? null;
      const driver = oobDriverFor(ctx.drivers, type);
      if (!driver) {
        failed.add(name);
        messages.push(nodeMessage(name, `Node ${name} OOB type ${type ?? 'none'} is not supported.`, true));
        continue;
      }
      group = driver.name;
    } else if (kind === 'kubernetes' && !ctx.drivers.kubernetes) {
      failed.add(name);
      messages.push(nodeMessage(name, `${phase.action} failed on ${name}: ${NO_KUBERNETES}`, true));
      continue;
    }
    const members = groups.get(group) ?? [];
    members.push(name);
    groups.set(group, members);
  }
  if (groups.size === 0) return finish([], [...failed], messages);
  const subtasks = [...groups].map(([driver, names]) => ({
    taskId: crypto.randomUUID(),
    action: phase.action,
    nodeFilter: nodeFilterOf(names),
    stepState: driver === '' ? null : { driver },
  }));
  for (const s of subtasks) messages.push(taskMessage(ctx, `Started subtask ${s.taskId} for action ${s.action}`));
  const state: PlanState = { phase: index, nodes: [...groups.values()].flat(), waiting: subtasks.map((s) => s.taskId) };
  return {
    status: 'running',
    step: phase.action,
    stepState: { ...state },
    result: { status: 'incomplete', failures: [...failed] },
    messages,
    subtasks,
    nextDelayMs: ctx.pollMs,
    wait: { on: `${subtasks.length} ${phase.action} subtask(s) on ${state.nodes.length} node(s)` },
  };
}

async function phaseDone(ctx: StepContext, plan: NodePlan, state: PlanState, subs: SubtaskView[]): Promise<StepResult> {
  const phase = plan.phases[state.phase] as NodePhase;
  const messages: TaskMessage[] = [];
  const retries = phase.retries ?? 0;
  // Drydock retries the same subtask; here only its failed nodes run again,
  // and a node that succeeds on a retry counts as a success (Drydock keeps
  // it in the failures of every earlier attempt as well).
  const reopen = subs
    .filter((s) => s.status === 'complete' && s.resultFailures.length > 0 && s.retry < retries)
    .map((s) => {
      messages.push({ ...siteMessage('Retrying task for failed entities.'), taskId: s.taskId });
      const driver = s.stepState?.['driver'];
      return { taskId: s.taskId, stepState: { ...(typeof driver === 'string' ? { driver } : {}), remaining: s.resultFailures } };
    });
  if (reopen.length > 0) {
    return { ...waitingOn(ctx, state, []), waitingOn: undefined, messages, reopen };
  }
  for (const s of subs) {
    if (retries > 0 && s.resultFailures.length > 0) {
      messages.push({ ...siteMessage('Retry requested, out of attempts.'), taskId: s.taskId });
    }
  }
  const ok = new Set(subs.flatMap((s) => s.resultSuccesses));
  const reasons: Record<string, string> = Object.assign({}, ...subs.map(reasonsOf));
  const survivors: string[] = [];
  const failures = new Set(ctx.row.resultFailures);
  for (const name of state.nodes) {
    if (ok.has(name)) {
      survivors.push(name);
      continue;
    }
    failures.add(name);
    // '' is the reason of a whole subtask (one that gave up after its step kept failing).
    const why = reasons[name] ?? reasons[''] ?? 'no result from the driver';
    messages.push(nodeMessage(name, `${phase.action} failed on ${name}: ${why}`, true));
  }
  for (const s of subs) messages.push(taskMessage(ctx, `Collected subtask ${s.taskId}`));
  if (survivors.length > 0 && state.phase + 1 < plan.phases.length) {
    return startPhase(ctx, plan, state.phase + 1, survivors, [...failures], messages);
  }
  return finish(survivors, [...failures], messages);
}

function finish(successes: string[], failures: string[], messages: TaskMessage[]): StepResult {
  return complete({ status: nodesResult(successes.length, failures.length), successes, failures }, messages);
}
