/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { API_PREFIX } from '../../core/app-paths.ts';
import { ApiError } from '../../core/errors.ts';
import { authorize } from '../../http/authorize.ts';
import type { AppEnv } from '../../http/env.ts';
import { NewTaskBody, TaskActionBody } from '../../http/schemas/tasks.ts';
import { parseInput } from '../../http/validate.ts';
import { listDesigns } from '../../services/designs.ts';
import {
  createTask,
  getTaskView,
  listTasks,
  normalizeTaskId,
  taskAndRoot,
  terminateTask,
  TOP_LEVEL_ACTIONS,
  type DrydockTask,
} from '../../services/tasks/index.ts';
import { SMALL_FORM_BYTES } from '../form.ts';
import { TaskPage } from '../pages/task-tree.tsx';
import { TasksPage } from '../pages/tasks.tsx';
import { UI } from '../paths.ts';
import { page } from '../render.ts';
import { csrfForm, csrfOf } from '../session.ts';

/** The same policy rules as /api/v1.0/tasks: read_task to look, create_task plus the action's own rule to start one. */
export const taskPages = new Hono<AppEnv>();

const PAGE_SIZE = 25;
const actionRule = (action: string) => `physical_provisioner:${action}`;
const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

function taskId(c: Context<AppEnv>): string {
  const id = normalizeTaskId(c.req.param('id') ?? '');
  if (id === null) throw new ApiError('NotFound', 'No such task');
  return id;
}

taskPages.get('/tasks', async (c) => {
  const principal = await authorize(c, 'physical_provisioner:read_task');
  const ctx = c.get('ctx');
  const cursor = c.req.query('cursor') || undefined;
  const { tasks, nextCursor } = await listTasks(ctx, { limit: PAGE_SIZE, cursor, topLevel: true });
  // The stored designs offered as refs only to whoever may read them, as GET /designs.
  const mayRead = c.get('services').policy.authorize('physical_provisioner:read_data', principal);
  const designRefs = mayRead ? (await listDesigns(ctx)).map((d) => `design://${d.designId}`) : [];
  const props = { user: principal.user, csrf: csrfOf(c), tasks, nextCursor, actions: TOP_LEVEL_ACTIONS, designRefs, paged: cursor !== undefined };
  return page(c, <TasksPage {...props} />);
});

taskPages.post('/tasks', async (c) => {
  const form = await csrfForm(c, SMALL_FORM_BYTES);
  await authorize(c, 'physical_provisioner:create_task');
  const names = list(form.get('node_names'));
  const tags = list(form.get('node_tags'));
  const body = {
    action: form.get('action'),
    design_ref: form.get('design_ref'),
    node_filter:
      names.length + tags.length > 0
        ? { filter_set_type: 'intersection', filter_set: [{ filter_type: 'union', ...(names.length ? { node_names: names } : {}), ...(tags.length ? { node_tags: tags } : {}) }] }
        : undefined,
  };
  const principal = await authorize(c, actionRule(parseInput(TaskActionBody, body).action));
  const input = parseInput(NewTaskBody, body);
  const task = await createTask(c.get('ctx'), { action: input.action, designRef: input.design_ref, nodeFilter: input.node_filter ?? null, principal });
  return c.redirect(`${UI}/tasks/${task.task_id}`, 303);
});

taskPages.get('/tasks/:id', async (c) => {
  const principal = await authorize(c, 'physical_provisioner:read_task');
  const id = taskId(c);
  const view = await getTaskView(c.get('ctx'), id, { layers: -1, buildData: false, subtaskErrors: false });
  const tasks = new Map<string, DrydockTask>();
  for (const [key, value] of Object.entries(view)) {
    if (value && typeof value === 'object' && 'task_id' in value) tasks.set(key, value as DrydockTask);
  }
  const root = tasks.get(id)!;
  const eventsUrl = `${API_PREFIX}/tasks/${id}/events`;
  return page(c, <TaskPage user={principal.user} csrf={csrfOf(c)} root={root} tasks={tasks} eventsUrl={eventsUrl} />);
});

/** As POST /api/v1.0/tasks/{id}/terminate: whoever may start the task's action may stop it. */
taskPages.post('/tasks/:id/terminate', async (c) => {
  await csrfForm(c, SMALL_FORM_BYTES);
  const ctx = c.get('ctx');
  const { task, root } = await taskAndRoot(ctx, taskId(c));
  const principal = await authorize(c, actionRule(root.action));
  await terminateTask(ctx, task, principal.user ?? null);
  return c.redirect(`${UI}/tasks/${task.taskId}`, 303);
});
