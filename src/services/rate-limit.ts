import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { rateLimits } from '../db/schema/ratelimit.ts';
import { runBatch } from '../db/batch.ts';
import type { ServiceContext } from './context.ts';

/**
 * A fixed-window limit on failed attempts, shared by every instance through
 * the database (Workers isolates keep no common memory). Reading costs one
 * indexed SELECT; each failure costs one multi-row UPSERT plus a sweep of
 * windows that have passed, in one batch. A fixed window lets a burst of up
 * to twice the limit straddle a window boundary; that is enough to keep key
 * guessing and log noise down.
 */
export interface FailureLimit {
  /** Failures allowed per bucket per window; 0 turns the limit off. */
  limit: number;
  windowMs?: number;
}

type RateLimitContext = Pick<ServiceContext, 'db' | 'clock'>;

const MINUTE = 60_000;
const MAX_BUCKET = 200;

function windowOf(ctx: RateLimitContext, failures: FailureLimit): { start: number; end: number } {
  const size = failures.windowMs ?? MINUTE;
  const start = Math.floor(ctx.clock().getTime() / size) * size;
  return { start, end: start + size };
}

const clean = (buckets: string[]) => [...new Set(buckets.map((b) => b.slice(0, MAX_BUCKET)))];

export interface LimitState {
  /** Whether `bucket` has used up its failures in the current window. */
  reached(bucket: string): boolean;
  /** Seconds until the current window ends (for Retry-After). */
  retryAfter: number;
}

/** Where each bucket stands, read in one query. */
export async function limitState(ctx: RateLimitContext, failures: FailureLimit, buckets: string[]): Promise<LimitState> {
  const { start, end } = windowOf(ctx, failures);
  const retryAfter = Math.max(1, Math.ceil((end - ctx.clock().getTime()) / 1000));
  if (failures.limit <= 0 || buckets.length === 0) return { reached: () => false, retryAfter };
  const rows = await ctx.db
    .select({ bucket: rateLimits.bucket, count: rateLimits.count })
    .from(rateLimits)
    .where(and(inArray(rateLimits.bucket, clean(buckets)), eq(rateLimits.windowStart, start)));
  const full = new Set(rows.filter((r) => r.count >= failures.limit).map((r) => r.bucket));
  return { reached: (bucket) => full.has(bucket.slice(0, MAX_BUCKET)), retryAfter };
}

/** Counts one failure in each bucket. */
export async function recordFailure(ctx: RateLimitContext, failures: FailureLimit, buckets: string[]): Promise<void> {
  if (failures.limit <= 0 || buckets.length === 0) return;
  const { start } = windowOf(ctx, failures);
  const { db } = ctx;
  await runBatch(db, [
    db.delete(rateLimits).where(lt(rateLimits.windowStart, start)),
    db
      .insert(rateLimits)
      .values(clean(buckets).map((bucket) => ({ bucket, windowStart: start, count: 1 })))
      .onConflictDoUpdate({
        target: rateLimits.bucket,
        set: {
          count: sql`case when ${rateLimits.windowStart} = excluded.window_start then ${rateLimits.count} + 1 else 1 end`,
          windowStart: sql`excluded.window_start`,
        },
      }),
  ]);
}
