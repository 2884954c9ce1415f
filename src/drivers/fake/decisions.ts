import type { BaremetalNode } from '../../design/model.ts';
import type { DriverContext } from '../types.ts';
import type { Decision } from './engine.ts';
import { injectedFailure, type FailStep } from './failures.ts';
import { detailOf, type MachineRow, type MachineState, type Outcome, type RowChanges } from './store.ts';

/** How one action decides what to do with a machine in a given state. */
export type Plan = (ctx: DriverContext, node: BaremetalNode, row: MachineRow) => Decision;

export const done = (detail: string, changes?: RowChanges): Decision => ({ kind: 'answer', progress: { state: 'done', detail }, changes });
export const failed = (reason: string): Decision => ({ kind: 'answer', progress: { state: 'failed', reason } });
export const start = (running: MachineState, outcome: Outcome): Decision => ({ kind: 'start', running, outcome });

/** A clear reason for an injected failure, so a test log says why the node failed. */
export function injected(ctx: DriverContext, node: BaremetalNode, step: FailStep): string | null {
  const source = injectedFailure(ctx.config, node.name, step);
  return source ? ` (failure injected by ${source})` : null;
}

/** The action that left the machine Failed, if it is. */
export const failedBy = (row: MachineRow): string | null =>
  row.status === 'Failed' ? (detailOf(row).failure?.action ?? null) : null;

export function statusText(row: MachineRow): string {
  const failure = row.status === 'Failed' ? detailOf(row).failure : undefined;
  return failure ? `Failed (${failure.action}: ${failure.reason})` : row.status;
}
