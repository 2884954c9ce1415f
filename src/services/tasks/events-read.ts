/**
 * GET /tasks/{id}/events, the reading half: the events of a task's tree
 * after a sequence number, in the shapes the README's "Task
 * events" gives, and the `end` event once the task is final and
 * every earlier event was read. The writing half is db/task-events.ts.
 */
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { EndEventData, EventResult, MessageEventData, TaskEventData } from '../../core/task-events.ts';
import { taskEvents } from '../../db/schema/events.ts';
import { resultMessages, tasks } from '../../db/schema/tasks.ts';
import { chunked } from '../../db/chunks.ts';
import type { Db } from '../../db/types.ts';
import { FINAL_STATUSES } from '../../orchestrator/types.ts';
import type { ServiceContext } from '../context.ts';
import { taskAndRoot } from './terminate.ts';

/** Events read at once; a reader with more to catch up reads again at once. */
const PAGE = 500;

export type TaskEvent =
  | { type: 'task'; seq: number; data: TaskEventData }
  | { type: 'message'; seq: number; data: MessageEventData }
  | { type: 'end'; seq: number; data: EndEventData };

/** Where a reader is: the tree it reads, the tasks of it it wants (null: all) and the last event it has. */
export interface EventCursor {
  taskId: string;
  rootId: string;
  /** The requested task and its descendants when it is a subtask; grows as its subtasks are created. */
  subtree: Set<string> | null;
  after: number;
  /** Set once `end` was answered. */
  done: boolean;
}

/** A result worth showing: none while the task is incomplete with no node counted yet. */
function resultOf(status: string | null, successes: string[] | null, failures: string[] | null): EventResult | null {
  if (status === null) return null;
  const result = { status, successes: successes ?? [], failures: failures ?? [] };
  return status === 'incomplete' && result.successes.length === 0 && result.failures.length === 0 ? null : result;
}

async function descendants(db: Db, taskId: string): Promise<Set<string>> {
  const found = new Set([taskId]);
  let frontier = [taskId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const chunk of chunked(frontier)) {
      const rows = await db.select({ id: tasks.taskId }).from(tasks).where(inArray(tasks.parentTaskId, chunk));
      for (const { id } of rows) {
        if (found.has(id)) continue;
        found.add(id);
        next.push(id);
      }
    }
    frontier = next;
  }
  return found;
}

/** A cursor on `taskId`'s events after `after`; 404 (ApiError) for an unknown task. */
export async function openEventCursor(ctx: Pick<ServiceContext, 'db'>, taskId: string, after: number): Promise<EventCursor> {
  const { task, root } = await taskAndRoot(ctx, taskId);
  const subtree = task.taskId === root.taskId ? null : await descendants(ctx.db, task.taskId);
  return { taskId: task.taskId, rootId: root.taskId, subtree, after, done: false };
}

/** The next events of the cursor's tree (possibly none), `end` last when the task is final; advances the cursor. */
export async function readEvents(ctx: Pick<ServiceContext, 'db'>, cursor: EventCursor): Promise<TaskEvent[]> {
  if (cursor.done) return [];
  const { db } = ctx;
  // The task first: when it reads final, the events of its last change are already committed (same batch).
  const [task] = await db
    .select({ status: tasks.status, resultStatus: tasks.resultStatus, successes: tasks.resultSuccesses, failures: tasks.resultFailures })
    .from(tasks)
    .where(eq(tasks.taskId, cursor.taskId));
  const rows = await db
    .select({ event: taskEvents, message: resultMessages.message, error: resultMessages.error })
    .from(taskEvents)
    .leftJoin(resultMessages, eq(resultMessages.sequence, taskEvents.messageSeq))
    .where(and(eq(taskEvents.rootTaskId, cursor.rootId), gt(taskEvents.seq, cursor.after)))
    .orderBy(asc(taskEvents.seq))
    .limit(PAGE);
  const events: TaskEvent[] = [];
  for (const { event: e, message, error } of rows) {
    cursor.after = e.seq;
    if (cursor.subtree) {
      if (e.type === 'task' && e.parentTaskId !== null && cursor.subtree.has(e.parentTaskId)) cursor.subtree.add(e.taskId);
      if (!cursor.subtree.has(e.taskId)) continue;
    }
    const base = { seq: e.seq, ts: e.ts.toISOString(), task_id: e.taskId };
    if (e.type === 'task') {
      // A task event copies the task's action and status, both NOT NULL in tasks (the columns are shared with messages).
      const result = resultOf(e.resultStatus, e.resultSuccesses, e.resultFailures);
      const data = { ...base, parent_task_id: e.parentTaskId, action: e.action ?? '', node: e.node, status: e.status ?? '', phase: e.phase, result };
      events.push({ type: 'task', seq: e.seq, data });
    } else if (message !== null) {
      // A message purged meanwhile has no text left: its event is skipped.
      events.push({ type: 'message', seq: e.seq, data: { ...base, node: e.node, message, error: error ?? false } });
    }
  }
  const final = !task || (FINAL_STATUSES as readonly string[]).includes(task.status);
  if (final && rows.length < PAGE) {
    cursor.done = true;
    const result = task ? resultOf(task.resultStatus, task.successes, task.failures) : null;
    const data = { seq: cursor.after, status: task?.status ?? 'terminated', result };
    events.push({ type: 'end', seq: cursor.after, data });
  }
  return events;
}
