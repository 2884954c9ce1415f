import type { Route } from './router.ts';
import type { SimState } from './state.ts';

export function interfaceRoutes(_st: SimState): Route[] {
  return [];
}
