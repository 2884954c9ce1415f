/**
 * The lines of a task's progress: a live table (TTY: redrawn, with a
 * spinner), change lines (not a TTY: one line whenever a node's phase or
 * state changes) and the summary line at the end.
 */
import type { Colours } from './terminal.ts';
import { ACTIVE, type NodeRow, type Progress } from './progress-model.ts';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function paint(state: string, c: Colours): string {
  if (state === 'success') return c.green(state);
  if (state === 'failure' || state === 'terminated') return c.red(state);
  if (state === 'partial_success') return c.yellow(state);
  return c.cyan(state);
}

const phaseOf = (r: NodeRow) => r.phase || '-';
const rowElapsed = (row: NodeRow, now: number) => elapsed((row.until ?? now) - row.since);
const sorted = (p: Progress) => [...p.nodes.values()].sort((a, b) => a.node.localeCompare(b.node));

/** The live view: a heading, then node, phase, state and elapsed in columns. */
export function progressLines(p: Progress, now: number, c: Colours, frame = 0): string[] {
  const rows = sorted(p);
  const width = (pick: (r: NodeRow) => string, head: string) => Math.max(head.length, ...rows.map((r) => pick(r).length));
  const wNode = width((r) => r.node, 'NODE');
  const wPhase = width(phaseOf, 'PHASE');
  const wState = width((r) => r.state, 'STATE');
  const spin = p.end ? ' ' : SPINNER[frame % SPINNER.length]!;
  const phase = p.phase ? ` (${p.phase})` : '';
  const lines = [`${c.bold(`${p.action ?? 'task'} ${p.taskId}`)}: ${paint(p.status, c)}${phase} ${c.dim(elapsed((p.endedAt ?? now) - (p.started ?? now)))}`];
  if (rows.length === 0) return lines;
  lines.push(c.dim(`  ${'NODE'.padEnd(wNode)}  ${'PHASE'.padEnd(wPhase)}  ${'STATE'.padEnd(wState)}  ELAPSED`));
  for (const r of rows) {
    const mark = ACTIVE.has(r.state) && !p.end ? spin : ' ';
    lines.push(`${mark} ${r.node.padEnd(wNode)}  ${phaseOf(r).padEnd(wPhase)}  ${paint(r.state, c)}${' '.repeat(wState - r.state.length)}  ${rowElapsed(r, now)}`);
  }
  return lines;
}

/** What changed since `seen` (node → "phase state"), as plain lines; updates `seen`. */
export function changeLines(p: Progress, seen: Map<string, string>, now: number): string[] {
  const lines: string[] = [];
  const taskKey = `${p.status} ${p.phase ?? ''}`;
  if (seen.get('') !== taskKey && !p.end) {
    seen.set('', taskKey);
    lines.push(`${p.action ?? 'task'} ${p.taskId}: ${p.status}${p.phase ? ` (${p.phase})` : ''}`);
  }
  for (const r of sorted(p)) {
    const key = `${phaseOf(r)} ${r.state}`;
    if (seen.get(r.node) === key) continue;
    seen.set(r.node, key);
    lines.push(`  ${r.node}  ${phaseOf(r)}  ${r.state}  ${rowElapsed(r, now)}`);
  }
  return lines;
}

/** The last line, with the failed nodes' last error under it. */
export function summaryLines(p: Progress, c: Colours): string[] {
  const result = p.end?.result;
  const ok = result?.successes.length ?? 0;
  const failed = result?.failures ?? [];
  const took = elapsed((p.endedAt ?? 0) - (p.started ?? p.endedAt ?? 0));
  const head = `${p.action ?? 'task'} ${p.taskId} ${p.status}: ${ok} node(s) succeeded, ${failed.length} failed in ${took}`;
  const lines = [p.status === 'success' ? c.green(head) : c.red(head)];
  for (const node of failed) {
    const why = p.nodes.get(node)?.lastError;
    lines.push(`  ${node}: ${why ?? 'failed'}`);
  }
  return lines;
}
