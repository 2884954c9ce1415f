/**
 * Reads tasks in Drydock's form, a set at a time: one query per chunk of ids
 * each for the rows, their result messages and their subtask ids (and build
 * data when asked), so a page of 1,000 tasks costs a few dozen statements,
 * not thousands.
 */
import { asc, inArray, sql } from 'drizzle-orm';
import { resultMessages, tasks } from '../../db/schema/tasks.ts';
import type { Db } from '../../db/types.ts';
import { buildDataByTask } from '../builddata.ts';
import { chunked } from '../../db/chunks.ts';
import { toDrydockTask, type DrydockTask, type ResultMessageRow, type TaskRow } from './serialize.ts';

export interface LoadOptions {
  /** Add each task's `build_data` (Drydock's builddata=true). */
  buildData?: boolean;
  /** Answer result links under this base (src/core/public-url.ts publicBase). */
  linkBase?: string;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

async function messagesOf(db: Db, ids: string[]): Promise<Map<string, ResultMessageRow[]>> {
  const out = new Map<string, ResultMessageRow[]>();
  for (const chunk of chunked(ids)) {
    const rows = await db
      .select()
      .from(resultMessages)
      .where(inArray(resultMessages.taskId, chunk))
      .orderBy(asc(resultMessages.sequence));
    for (const row of rows) push(out, row.taskId, row);
  }
  return out;
}

/**
 * Subtask ids per parent, in creation order. Drydock appended to an array
 * column; here the subtasks point at their parent, and rowid (insertion
 * order) breaks ties between subtasks created in the same millisecond.
 */
async function subtaskIdsOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const chunk of chunked(ids)) {
    const rows = await db
      .select({ taskId: tasks.taskId, parentTaskId: tasks.parentTaskId })
      .from(tasks)
      .where(inArray(tasks.parentTaskId, chunk))
      .orderBy(asc(tasks.created), sql`rowid`);
    for (const row of rows) if (row.parentTaskId !== null) push(out, row.parentTaskId, row.taskId);
  }
  return out;
}

/** Serializes rows already read (e.g. a page of the task list). */
export async function serializeTaskRows(db: Db, rows: readonly TaskRow[], options: LoadOptions = {}): Promise<DrydockTask[]> {
  const ids = rows.map((r) => r.taskId);
  const [messages, subtasks, builds] = await Promise.all([
    messagesOf(db, ids),
    subtaskIdsOf(db, ids),
    options.buildData ? buildDataByTask(db, ids) : null,
  ]);
  return rows.map((row) => {
    const task = toDrydockTask(row, messages.get(row.taskId) ?? [], subtasks.get(row.taskId) ?? [], options.linkBase);
    if (builds) task.build_data = builds.get(row.taskId) ?? [];
    return task;
  });
}

/** The tasks with these (canonical) ids that exist, keyed by id. */
export async function loadTasks(db: Db, ids: readonly string[], options: LoadOptions = {}): Promise<Map<string, DrydockTask>> {
  const unique = [...new Set(ids)];
  const rows: TaskRow[] = [];
  for (const chunk of chunked(unique)) rows.push(...(await db.select().from(tasks).where(inArray(tasks.taskId, chunk))));
  const serialized = await serializeTaskRows(db, rows, options);
  return new Map(serialized.map((t) => [t.task_id, t]));
}

/** One task in Drydock's form, or null when there is none with this id. */
export async function loadTask(db: Db, id: string, options: LoadOptions = {}): Promise<DrydockTask | null> {
  return (await loadTasks(db, [id], options)).get(id) ?? null;
}
