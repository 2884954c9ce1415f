import { and, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { tasks } from '../db/schema/tasks.ts';
import type { Db } from '../db/types.ts';
import type { TaskRow } from './task-store.ts';
import { LIVE_STATUSES } from './types.ts';

/**
 * Task leases. One conditional UPDATE … RETURNING claims a task: it matches
 * only a live task whose lease is free or expired, so of several executors
 * (isolates, processes) exactly one gets the row back. The lease token is
 * the executor id plus a per-claim nonce, so an executor whose lease expired
 * and was taken over cannot save over the new holder, not even when it is
 * the same executor claiming the task again.
 */
export function leaseToken(owner: string): string {
  return `${owner}#${crypto.randomUUID().slice(0, 8)}`;
}

export async function claimTask(
  db: Db,
  taskId: string,
  token: string,
  now: Date,
  leaseMs: number,
): Promise<TaskRow | null> {
  const rows = await db
    .update(tasks)
    .set({ leaseOwner: token, leaseUntil: new Date(now.getTime() + leaseMs) })
    .where(
      and(
        eq(tasks.taskId, taskId),
        inArray(tasks.status, [...LIVE_STATUSES]),
        or(isNull(tasks.leaseUntil), lt(tasks.leaseUntil, now)),
      ),
    )
    .returning();
  // With RETURNING, count the rows (libSQL's rowsAffected reads 0).
  return rows[0] ?? null;
}

/** True while `token` still holds the task's lease; guards every write of a step. */
export function holdsLease(taskId: string, token: string): SQL {
  return sql`exists (select 1 from tasks as lease where lease.task_id = ${taskId} and lease.lease_owner = ${token})`;
}
