import type { BaremetalNode } from '../../design/model.ts';
import { DRIVER_ACTIONS, type DriverAction, type DriverKind } from '../actions.ts';
import type { DriverContext, Progress } from '../types.ts';
import type { Plan } from './decisions.ts';
import { drive } from './engine.ts';
import { ensureMachine } from './store.ts';

/** Every action Drydock assigns to a kind of driver. */
export function actionsOf(kind: DriverKind): ReadonlySet<DriverAction> {
  return new Set((Object.keys(DRIVER_ACTIONS) as DriverAction[]).filter((a) => DRIVER_ACTIONS[a] === kind));
}

/** One per-node action on the node's simulated machine (created on first use). */
export async function runPlan(
  ctx: DriverContext,
  driver: string,
  plans: Partial<Record<DriverAction, Plan>>,
  action: DriverAction,
  node: BaremetalNode | null,
): Promise<Progress> {
  const plan = plans[action];
  if (!plan) return { state: 'failed', reason: `The ${driver} does not carry out ${action}.` };
  if (!node) return { state: 'failed', reason: `${action} acts on a node, and none was given.` };
  const row = await ensureMachine(ctx.db, node, ctx.site, ctx.clock());
  return drive(ctx, row, action, (current) => plan(ctx, node, current));
}
