import { and, count, inArray } from 'drizzle-orm';
import { tasks } from '../db/schema/tasks.ts';
import type { Db } from '../db/types.ts';
import { LIVE_STATUSES } from './types.ts';

export interface SubtaskView {
  taskId: string;
  action: string;
  status: string;
  resultStatus: string | null;
  resultSuccesses: string[];
  resultFailures: string[];
  retry: number;
  stepState: Record<string, unknown> | null;
}

/** The subtasks a parent waits on: one read, however many nodes they cover. */
export async function readSubtasks(db: Db, ids: string[]): Promise<SubtaskView[]> {
  if (ids.length === 0) return [];
  return db
    .select({
      taskId: tasks.taskId,
      action: tasks.action,
      status: tasks.status,
      resultStatus: tasks.resultStatus,
      resultSuccesses: tasks.resultSuccesses,
      resultFailures: tasks.resultFailures,
      retry: tasks.retry,
      stepState: tasks.stepState,
    })
    .from(tasks)
    .where(inArray(tasks.taskId, ids));
}

export async function countLive(db: Db, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const [row] = await db
    .select({ n: count() })
    .from(tasks)
    .where(and(inArray(tasks.taskId, ids), inArray(tasks.status, [...LIVE_STATUSES])));
  return row?.n ?? 0;
}

export const isLive = (status: string) => (LIVE_STATUSES as readonly string[]).includes(status);

export function reasonsOf(sub: SubtaskView): Record<string, string> {
  const reasons = sub.stepState?.['reasons'];
  return reasons && typeof reasons === 'object' ? (reasons as Record<string, string>) : {};
}
