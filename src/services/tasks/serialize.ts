/**
 * Drydock's Task form (objects/task.py Task.to_dict, TaskStatus.to_dict,
 * TaskStatusMessage.to_dict), key for key, from our rows. Timestamps are ISO
 * 8601 UTC where Drydock printed Python's str(datetime), as its docs promise.
 */
import type { resultMessages, tasks } from '../../db/schema/tasks.ts';
import { absoluteLink } from '../../core/public-url.ts';
import type { DrydockBuildData } from '../builddata.ts';

export type TaskRow = typeof tasks.$inferSelect;
export type ResultMessageRow = typeof resultMessages.$inferSelect;

/**
 * Task.to_dict says 'v1' (its docs say 'v1.0'); clients see what the code
 * emits, so this keeps 'v1'. The nested Status object is 'v1.0' in both.
 */
export const TASK_API_VERSION = 'v1';

export interface DrydockTaskMessage {
  message: string;
  error: boolean;
  context_type: string | null;
  context: string | null;
  ts: string;
  extra: Record<string, unknown>;
}

export interface DrydockTaskResult {
  kind: 'Status';
  apiVersion: 'v1.0';
  metadata: Record<string, never>;
  message: string | null;
  reason: string | null;
  status: string;
  successes: string[];
  failures: string[];
  links: Array<{ rel: string; href: string }>;
  details: { errorCount: number; messageList: DrydockTaskMessage[] };
}

export interface DrydockTask {
  kind: 'Task';
  apiVersion: typeof TASK_API_VERSION;
  task_id: string;
  action: string;
  parent_task_id: string | null;
  design_ref: string | null;
  /** Ours: SHA-256 of the design text the task pinned at its first step (null until then). */
  design_content_hash: string | null;
  status: string;
  result: DrydockTaskResult;
  node_filter: unknown;
  subtask_id_list: string[];
  created: string;
  created_by: string | null;
  updated: string | null;
  terminated: string | null;
  terminated_by: string | null;
  terminate: boolean;
  retry: number;
  /** Only with GET /tasks/{id}?builddata=true. */
  build_data?: DrydockBuildData[];
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Drydock stored `extra` with json.dumps into a JSON column, so it read back
 * as a string of JSON; here it is the object the writer gave.
 */
export function toDrydockMessage(row: ResultMessageRow): DrydockTaskMessage {
  return {
    message: row.message,
    error: row.error,
    context_type: row.contextType,
    context: row.context,
    ts: row.ts.toISOString(),
    extra: isRecord(row.extra) ? row.extra : {},
  };
}

/**
 * One task from its row, its result messages (in sequence order) and the ids
 * of its subtasks. errorCount is counted from the messages, as Drydock's
 * state manager recomputes it whenever it loads a task. Links are stored as
 * paths of this service; with `linkBase` (src/core/public-url.ts) they are
 * answered absolute, as Drydock's (built from its Keystone endpoint).
 */
export function toDrydockTask(
  row: TaskRow,
  messages: readonly ResultMessageRow[],
  subtaskIds: readonly string[],
  linkBase?: string,
): DrydockTask {
  const messageList = messages.map(toDrydockMessage);
  return {
    kind: 'Task',
    apiVersion: TASK_API_VERSION,
    task_id: row.taskId,
    action: row.action,
    parent_task_id: row.parentTaskId,
    design_ref: row.designRef,
    design_content_hash: row.designContentHash,
    status: row.status,
    result: {
      kind: 'Status',
      apiVersion: 'v1.0',
      metadata: {},
      message: row.resultMessage,
      reason: row.resultReason,
      status: row.resultStatus ?? 'incomplete',
      successes: [...row.resultSuccesses],
      failures: [...row.resultFailures],
      links: row.resultLinks.map((l) => ({ rel: l.rel, href: linkBase === undefined ? l.href : absoluteLink(linkBase, l.href) })),
      details: { errorCount: messageList.filter((m) => m.error).length, messageList },
    },
    node_filter: row.nodeFilter ?? null,
    subtask_id_list: [...subtaskIds],
    created: row.created.toISOString(),
    created_by: row.createdBy,
    updated: iso(row.updated),
    terminated: iso(row.terminated),
    terminated_by: row.terminatedBy,
    terminate: row.terminate,
    retry: row.retry,
  };
}
