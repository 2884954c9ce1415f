import type { Route } from './router.ts';
import type { SimState } from './state.ts';

export function storageRoutes(_st: SimState): Route[] {
  return [];
}
