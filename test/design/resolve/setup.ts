/** Resolver wiring shared by the resolver tests: a real database, recorded backoff sleeps. */
import { testBox } from '../../helpers/design-box.ts';
import { expect } from 'vitest';
import type { Database } from '../../../src/db/types.ts';
import { createDesignResolver, type DesignResolverDeps } from '../../../src/design/resolve/index.ts';
import { ApiError } from '../../../src/core/errors.ts';

export { memoryDatabase } from '../../helpers/app.ts';

export function resolverFor(database: Database, overrides: Partial<DesignResolverDeps> = {}) {
  const sleeps: number[] = [];
  const resolver = createDesignResolver({
    fetch: (input, init) => fetch(input, init),
    db: database.db,
    box: testBox,
    timeoutMs: 5000,
    maxBytes: 1024,
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  });
  return { resolver, sleeps };
}

/** The ApiError a promise rejects with; fails the test if it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  const api = err as ApiError;
  expect(api.status).toBe(400);
  expect(api.reason).toBe('BadRequest');
  return api;
}
