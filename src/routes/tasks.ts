import { Hono, type Context } from 'hono';
import { API_PREFIX } from '../core/app-paths.ts';
import { ApiError, statusDocument } from '../core/errors.ts';
import { publicBase } from '../core/public-url.ts';
import { authenticate, authorize } from '../http/authorize.ts';
import type { AppEnv } from '../http/env.ts';
import { NewTaskBody, TaskActionBody, TaskListQuery, TaskPurgeQuery, TaskViewQuery } from '../http/schemas/tasks.ts';
import { parseInput, validQuery } from '../http/validate.ts';
import { readJsonBody } from '../http/json-body.ts';
import { requirePolicy } from '../middleware/policy.ts';
import {
  createTask,
  deleteTasksOlderThan,
  getTaskView,
  listTasks,
  normalizeTaskId,
  taskAndRoot,
  taskBuildData,
  terminateTask,
} from '../services/tasks/index.ts';

export const taskRoutes = new Hono<AppEnv>();

/** Each action also needs its own rule, as Drydock's per-action handlers (after create_task). */
const actionRule = (action: string) => `physical_provisioner:${action}`;

/** The task id of the path, normalized; 404 for one that cannot be a task's. */
export function taskIdParam(c: Context<AppEnv>): string {
  const raw = c.req.param('id') ?? '';
  const id = normalizeTaskId(raw);
  if (id === null) throw new ApiError('NotFound', `Task ${raw.slice(0, 64)} does not exist`);
  return id;
}

const linkBase = (c: Context<AppEnv>) => publicBase(c.get('ctx').config, c.req.url) ?? undefined;

taskRoutes.post('/tasks', requirePolicy('physical_provisioner:create_task'), async (c) => {
  const body = await readJsonBody(c);
  // The action's rule is checked before the rest of the body, as Drydock.
  const principal = await authorize(c, actionRule(parseInput(TaskActionBody, body).action));
  const input = parseInput(NewTaskBody, body);
  const task = await createTask(c.get('ctx'), {
    action: input.action,
    designRef: input.design_ref,
    nodeFilter: input.node_filter ?? null,
    principal,
  });
  return c.json(task, 201, { Location: `${API_PREFIX}/tasks/${task.task_id}` });
});

/**
 * Drydock's list of tasks, newest first, a page at a time: the body stays a
 * JSON list; the next page's cursor is in X-Next-Cursor and a Link header.
 * `top_level=true` leaves out subtasks (a deploy of 100 nodes has dozens).
 */
taskRoutes.get('/tasks', requirePolicy('physical_provisioner:read_task'), async (c) => {
  const { limit, cursor, top_level: topLevel } = validQuery(c, TaskListQuery);
  const page = await listTasks(c.get('ctx'), { limit, cursor, topLevel, linkBase: linkBase(c) });
  if (page.nextCursor) {
    c.header('X-Next-Cursor', page.nextCursor);
    const filter = topLevel ? '&top_level=true' : '';
    c.header('Link', `<${API_PREFIX}/tasks?limit=${limit}${filter}&cursor=${page.nextCursor}>; rel="next"`);
  }
  return c.json(page.tasks);
});

taskRoutes.delete('/tasks', requirePolicy('physical_provisioner:delete_tasks'), async (c) => {
  const { days } = validQuery(c, TaskPurgeQuery);
  const { deleted, cutoff } = await deleteTasksOlderThan(c.get('ctx'), days);
  c.get('log').info('tasks purged', { days, deleted });
  // Drydock answered the bare text "Tables purged successfully." (which its
  // client ignores); this keeps that message in a Status that counts the tasks.
  const reason = `Removed ${deleted} task(s) created before ${cutoff.toISOString()}`;
  const status = statusDocument({ ok: true, message: 'Tables purged successfully.', reason, messageList: [], code: 200 });
  return c.json({ ...status, deleted_tasks: deleted });
});

taskRoutes.get('/tasks/:id', requirePolicy('physical_provisioner:read_task'), async (c) => {
  const id = taskIdParam(c);
  const query = validQuery(c, TaskViewQuery);
  const options = { buildData: query.builddata, subtaskErrors: query.subtaskerrors, layers: query.layers, linkBase: linkBase(c) };
  return c.json(await getTaskView(c.get('ctx'), id, options));
});

/**
 * Ends a task and its subtasks at their next step (not in Drydock's API).
 * Needs the rule that creating the task's action needs (e.g.
 * physical_provisioner:deploy_nodes): whoever may start a deploy may stop it.
 * 202 with the task, now `terminating`; 409 for a subtask or a final task.
 */
taskRoutes.post('/tasks/:id/terminate', async (c) => {
  // Authenticated before the task is looked up: no answer says whether a task exists to a stranger.
  await authenticate(c);
  const ctx = c.get('ctx');
  const { task, root } = await taskAndRoot(ctx, taskIdParam(c));
  const principal = await authorize(c, actionRule(root.action));
  return c.json(await terminateTask(ctx, task, principal.user ?? null), 202);
});

/** As Drydock, 404 both for an unknown task and for a task that collected nothing. */
taskRoutes.get('/tasks/:id/builddata', requirePolicy('physical_provisioner:read_build_data'), async (c) => {
  return c.json(await taskBuildData(c.get('ctx'), taskIdParam(c)));
});
