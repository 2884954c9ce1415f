/**
 * A task tree's progress folded from its events: one row per node (the
 * phase it is in, its state, since when) and the top-level task's own
 * status. Pure: the renderer reads it, tests feed it events.
 */
import type { EndEventData, EventResult, TaskEventData } from '../core/task-events.ts';
import type { TaskEvent } from './events.ts';

export interface NodeRow {
  node: string;
  phase: string;
  state: string;
  /** ms since the epoch: the first event about the node. */
  since: number;
  /** When the node's last phase ended (or the task did); null while it is at work. */
  until: number | null;
  lastError: string | null;
}

export interface Progress {
  taskId: string;
  action: string | null;
  status: string;
  phase: string | null;
  started: number | null;
  end: EndEventData | null;
  endedAt: number | null;
  nodes: Map<string, NodeRow>;
}

const FINAL = new Set(['complete', 'terminated']);
/** States of a node still at work; any other (success, failure …) stops its clock until it moves on. */
export const ACTIVE = new Set(['requested', 'queued', 'prepared', 'running', 'terminating']);

/** `nodes`: the task's target nodes when known beforehand (POST /nodefilter), shown queued from the start. */
export function newProgress(taskId: string, nodes: string[] = [], now = Date.now()): Progress {
  const p: Progress = { taskId, action: null, status: 'queued', phase: null, started: null, end: null, endedAt: null, nodes: new Map() };
  for (const node of nodes) touch(p, node, now);
  return p;
}

/** complete → its result's status (success, failure, partial_success); else the status itself. */
export const stateOf = (status: string, result: EventResult | null): string =>
  status === 'complete' && result ? result.status : status;

function touch(p: Progress, node: string, at: number): NodeRow {
  let row = p.nodes.get(node);
  if (!row) {
    // A node's clock runs from the task's start: phases name their nodes only when they end.
    row = { node, phase: '', state: 'queued', since: Math.min(p.started ?? at, at), until: null, lastError: null };
    p.nodes.set(node, row);
  }
  return row;
}

function set(row: NodeRow, phase: string, state: string, at: number): void {
  row.phase = phase;
  row.state = state;
  row.until = ACTIVE.has(state) ? null : at;
}

function applyTask(p: Progress, d: TaskEventData, at: number): void {
  if (p.started === null) {
    p.started = at;
    for (const row of p.nodes.values()) row.since = at;
  }
  if (d.task_id === p.taskId) {
    p.action = d.action;
    p.status = stateOf(d.status, d.result);
    p.phase = d.phase;
    return;
  }
  if (d.node) return set(touch(p, d.node, at), d.phase ?? d.action, stateOf(d.status, d.result), at);
  // A phase subtask of several nodes names them only in its result; while it
  // runs, the nodes still in the race (none failed) are taken to be in it.
  if (d.status === 'running' || d.status === 'terminating') {
    for (const row of p.nodes.values()) if (row.state !== 'failure' && row.state !== 'terminated') set(row, d.action, d.status, at);
    return;
  }
  if (ACTIVE.has(d.status) || !d.result) return;
  for (const node of d.result.successes) set(touch(p, node, at), d.action, 'success', at);
  for (const node of d.result.failures) set(touch(p, node, at), d.action, 'failure', at);
}

/** Folds one event in; `now` stands in for events without a timestamp (end). */
export function applyEvent(p: Progress, event: TaskEvent, now: number): void {
  if (event.type === 'task') return applyTask(p, event.data, Date.parse(event.data.ts) || now);
  if (event.type === 'message') {
    const { node, error, message } = event.data;
    if (node && error) touch(p, node, Date.parse(event.data.ts) || now).lastError = message;
    return;
  }
  p.end = event.data;
  p.endedAt = now;
  const result = event.data.result;
  p.status = event.data.status === 'terminated' ? 'terminated' : stateOf('complete', result);
  for (const node of result?.successes ?? []) set(touch(p, node, now), p.nodes.get(node)?.phase ?? '', 'success', now);
  for (const node of result?.failures ?? []) set(touch(p, node, now), p.nodes.get(node)?.phase ?? '', 'failure', now);
  for (const row of p.nodes.values()) row.until ??= now;
}

export const isFinal = (p: Progress) => p.end !== null || FINAL.has(p.status);

/** 0 only for a task that ended in success; 1 for failure, partial success or termination. */
export function exitCodeOf(p: Progress): number {
  return p.end && p.end.status === 'complete' && p.end.result?.status === 'success' ? 0 : 1;
}
