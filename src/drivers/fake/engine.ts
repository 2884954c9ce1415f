import type { DriverAction } from '../actions.ts';
import type { DriverContext, Progress } from '../types.ts';
import {
  casUpdate,
  detailOf,
  loadMachine,
  type MachineRow,
  type MachineState,
  type Outcome,
  type RowChanges,
} from './store.ts';

/**
 * The fake lab's step machine. An action on a machine is either answered at
 * once (already done, refused, an injected API error) or started as an
 * operation that takes FAKE_LAB_STEP_MS of lab time. Nothing sleeps: a call
 * that finds its operation still running answers `pending` with the time
 * left, and the first call of any kind that finds an operation over
 * completes it. Time passes for the lab whether or not anyone watches.
 */
export type Decision =
  | { kind: 'answer'; progress: Progress; changes?: RowChanges }
  | { kind: 'start'; running: MachineState; outcome: Outcome };

export type Decide = (row: MachineRow) => Decision;

const LOG_LIMIT = 20;
/** Start, complete, and a few lost races; beyond that the caller is asked to come back. */
const MAX_ROUNDS = 6;

const stateOf = (s: MachineState): MachineState => {
  const out: MachineState = {};
  if (s.status !== undefined) out.status = s.status;
  if (s.powerState !== undefined) out.powerState = s.powerState;
  if (s.bootDevice !== undefined) out.bootDevice = s.bootDevice;
  return out;
};

/** The changes that complete the row's operation, or null while it still runs (or when there is none). */
export function completion(row: MachineRow, stepMs: number, now: Date): RowChanges | null {
  const op = row.operation;
  if (!op || !row.operationStarted) return null;
  const finishedAt = row.operationStarted.getTime() + stepMs;
  if (now.getTime() < finishedAt) return null;
  const { pending: outcome, ...detail } = detailOf(row);
  if (!outcome) return { operation: null, operationStarted: null, detail };
  const finished = new Date(finishedAt).toISOString();
  for (const key of outcome.clear ?? []) delete detail[key];
  Object.assign(detail, outcome.record ?? {});
  if (outcome.stamp) detail[outcome.stamp] = finished;
  if (outcome.result === 'done') {
    detail.completed = { ...detail.completed, [op]: outcome.taskId };
    if (outcome.status !== undefined && outcome.status !== 'Failed') delete detail.failure;
  } else if (outcome.status === 'Failed') {
    detail.failure = { action: op, reason: outcome.message };
  }
  const log = [...(detail.log ?? [])];
  for (let i = log.length - 1; i >= 0; i--) {
    const entry = log[i];
    if (entry && entry.action === op && !entry.finished) {
      log[i] = { ...entry, finished, result: outcome.result };
      break;
    }
  }
  detail.log = log;
  return { ...stateOf(outcome), operation: null, operationStarted: null, detail };
}

/** The row as it would read once a finished operation is completed, without writing (for listings). */
export function effectiveRow(row: MachineRow, stepMs: number, now: Date): MachineRow {
  const changes = completion(row, stepMs, now);
  return changes ? { ...row, ...changes } : row;
}

const progressOf = (o: Outcome): Progress =>
  o.result === 'done' ? { state: 'done', detail: o.message } : { state: 'failed', reason: o.message };

function startChanges(row: MachineRow, action: DriverAction, taskId: string, d: Extract<Decision, { kind: 'start' }>, now: Date): RowChanges {
  const detail = { ...detailOf(row) };
  detail.pending = { ...d.outcome, taskId };
  detail.log = [...(detail.log ?? []), { action, taskId, started: now.toISOString() }].slice(-LOG_LIMIT);
  return { ...stateOf(d.running), operation: action, operationStarted: now, detail };
}

/**
 * One bounded call: at most a few reads and conditional writes. Every write
 * is a compare-and-set on the row's version, so two executors calling at
 * once start one operation and complete it once; the loser reads again and
 * sees the winner's work.
 */
export async function drive(ctx: DriverContext, row: MachineRow, action: DriverAction, decide: Decide): Promise<Progress> {
  const stepMs = ctx.config.FAKE_LAB_STEP_MS;
  const name = row.nodeName;
  let current: MachineRow | undefined = row;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    current ??= await loadMachine(ctx.db, name);
    if (!current) return { state: 'failed', reason: `Machine ${name} is no longer in the fake lab` };
    const now = ctx.clock();
    if (current.operation && current.operationStarted) {
      const done = completion(current, stepMs, now);
      if (!done) {
        const retryAfterMs = current.operationStarted.getTime() + stepMs - now.getTime();
        const detail =
          current.operation === action
            ? `${action} of ${name} in progress (${current.status})`
            : `${name} is busy: ${current.operation} in progress (${current.status})`;
        return { state: 'pending', detail, retryAfterMs };
      }
      const ran: string = current.operation;
      const outcome = detailOf(current).pending;
      const next = await casUpdate(ctx.db, current, done, now);
      if (!next) {
        current = undefined;
        continue;
      }
      if (ran === action && outcome) return progressOf(outcome);
      current = next;
    }
    if (detailOf(current).completed?.[action] === ctx.taskId) {
      return { state: 'done', detail: `${action} of ${name} already done for task ${ctx.taskId}` };
    }
    const decision = decide(current);
    if (decision.kind === 'answer') {
      if (!decision.changes) return decision.progress;
      if (await casUpdate(ctx.db, current, decision.changes, now)) return decision.progress;
      current = undefined;
      continue;
    }
    const started = startChanges(current, action, ctx.taskId, decision, now);
    if (stepMs === 0) {
      // A zero step starts and completes in one write (tests, benchmarks).
      const finished = completion({ ...current, ...started } as MachineRow, 0, now);
      if (finished && (await casUpdate(ctx.db, current, { ...started, ...finished }, now))) return progressOf(decision.outcome);
      current = undefined;
      continue;
    }
    current = (await casUpdate(ctx.db, current, started, now)) ?? undefined;
  }
  return { state: 'pending', detail: `${name} is contended; asking again`, retryAfterMs: 0 };
}
