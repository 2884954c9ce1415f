/**
 * GET /tasks, paged. Drydock returned every task at once; a busy site has
 * many thousands, so the list is read newest first in pages, with a keyset
 * cursor on (created, task_id) that the tasks_created_idx index answers and
 * that stays stable while tasks are added or removed.
 */
import { desc, sql } from 'drizzle-orm';
import { tasks } from '../../db/schema/tasks.ts';
import type { Db } from '../../db/types.ts';
import { ApiError } from '../../core/errors.ts';
import type { ServiceContext } from '../context.ts';
import { normalizeTaskId } from './ids.ts';
import { serializeTaskRows } from './load.ts';
import type { DrydockTask } from './serialize.ts';

export const DEFAULT_TASK_PAGE = 100;
export const MAX_TASK_PAGE = 1000;

interface CursorPosition {
  created: number;
  taskId: string;
}

const toBase64Url = (s: string) => btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

function encodeCursor(p: CursorPosition): string {
  return toBase64Url(`t1:${p.created}:${p.taskId}`);
}

function decodeCursor(cursor: string): CursorPosition {
  let text = '';
  try {
    if (/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) text = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    text = '';
  }
  const m = /^t1:(\d{1,15}):(.+)$/.exec(text);
  const taskId = m ? normalizeTaskId(m[2]!) : null;
  if (!m || taskId === null) throw new ApiError('BadRequest', 'Invalid cursor: pass the X-Next-Cursor value of a previous page');
  return { created: Number(m[1]), taskId };
}

export interface TaskPage {
  tasks: DrydockTask[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export interface TaskListOptions {
  limit: number;
  cursor?: string;
  /** Only tasks without a parent (a deploy's dozens of subtasks left out). */
  topLevel?: boolean;
  /** Absolute base for each task's links (PUBLIC_URL or the request's origin). */
  linkBase?: string;
}

/**
 * The ids of a page of top-level tasks. Without INDEXED BY, SQLite (with no
 * ANALYZE statistics) picks tasks_parent_idx for `parent_task_id is null`
 * and sorts every top-level row, step state and all, in a temporary B-tree
 * on each page; the partial index reads the page in order and nothing else.
 */
async function topLevelIds(db: Db, limit: number, after: CursorPosition | null): Promise<string[]> {
  const rows = await db.all<{ task_id: string }>(sql`select task_id from tasks indexed by tasks_top_level_created_idx
    where parent_task_id is null ${after ? sql`and (created, task_id) < (${after.created}, ${after.taskId})` : sql``}
    order by created desc, task_id desc limit ${limit}`);
  return rows.map((r) => r.task_id);
}

export async function listTasks(ctx: Pick<ServiceContext, 'db'>, options: TaskListOptions): Promise<TaskPage> {
  const { db } = ctx;
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const ids = options.topLevel ? await topLevelIds(db, options.limit + 1, after) : null;
  const rows =
    ids && ids.length === 0
      ? []
      : await db
          .select()
          .from(tasks)
          .where(
            ids
              ? // One bound parameter however long the page (D1 binds at most 100).
                sql`${tasks.taskId} in (select value from json_each(${JSON.stringify(ids)}))`
              : after
                ? sql`(${tasks.created}, ${tasks.taskId}) < (${after.created}, ${after.taskId})`
                : undefined,
          )
          .orderBy(desc(tasks.created), desc(tasks.taskId))
          .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > options.limit && last ? encodeCursor({ created: last.created.getTime(), taskId: last.taskId }) : null;
  return { tasks: await serializeTaskRows(db, page, { linkBase: options.linkBase }), nextCursor };
}
