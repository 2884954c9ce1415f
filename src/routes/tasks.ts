import { Hono, type Context } from 'hono';
import { API_PREFIX } from '../core/app-paths.ts';
import { NodeFilterError, parseNodeFilter } from '../design/filters.ts';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { readJsonBody } from '../middleware/json-body.ts';
import { authenticate, requirePolicy } from '../middleware/policy.ts';
import { TOP_LEVEL_ACTIONS, type TopLevelAction } from '../orchestrator/types.ts';
import { publicBase } from '../core/public-url.ts';
import { listTaskBuildData } from '../services/builddata.ts';
import {
  createTask,
  deleteTasksOlderThan,
  getTaskView,
  listTasks,
  normalizeTaskId,
  parseTaskPageLimit,
  taskAndRoot,
  taskRequestContext,
  terminateTask,
} from '../services/tasks/index.ts';

export const taskRoutes = new Hono<AppEnv>();

const isAction = (x: unknown): x is TopLevelAction => typeof x === 'string' && (TOP_LEVEL_ACTIONS as readonly string[]).includes(x);
const MAX_DESIGN_REF = 2048;
const DEFAULT_RETAIN_DAYS = 90;

/** A bad action as the error names it: a string (cut short) as itself, anything else by its type, never serialised. */
function describeAction(action: unknown): string {
  if (typeof action === 'string') return action.slice(0, 64);
  if (action === undefined || action === null) return 'null';
  const type = Array.isArray(action) ? 'a list' : typeof action === 'object' ? 'an object' : `a ${typeof action}`;
  return `(${type}; action must be a string)`;
}

/** Each action also needs its own rule, as Drydock's per-action handlers (after create_task). */
async function requireActionPolicy(c: Context<AppEnv>, action: string): Promise<void> {
  const rule = `physical_provisioner:${action}`;
  const principal = await authenticate(c);
  if (!c.get('services').policy.authorize(rule, principal)) {
    c.get('log').info('forbidden', { rule, user: principal.user });
    throw new ApiError('Forbidden', 'Forbidden', { details: [{ message: `Policy ${rule} denies this request` }] });
  }
}

/** Falcon's get_param_as_bool: its true and false spellings; absent is false, anything else 400. */
function boolParam(c: Context<AppEnv>, name: string): boolean {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return false;
  const v = raw.trim().toLowerCase();
  if (['true', 't', 'yes', 'y', '1', 'on'].includes(v)) return true;
  if (['false', 'f', 'no', 'n', '0', 'off'].includes(v)) return false;
  throw new ApiError('BadRequest', `${name} must be true or false`);
}

/** Drydock read a bad `layers` as 0 and anything below -1 as 1; here both are 400. */
function layersParam(c: Context<AppEnv>): number {
  const raw = c.req.query('layers');
  if (raw === undefined || raw === '') return 0;
  const n = /^-?\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= -1)) throw new ApiError('BadRequest', 'layers must be -1 (all) or a non-negative integer');
  return n;
}

/**
 * Drydock read any bad `days` as 90. Here it must be a non-negative integer,
 * except the literal `None` that Drydock's own client sends when no days are
 * given (delete_tasks(days=None)), which keeps meaning the default.
 */
function daysParam(c: Context<AppEnv>): number {
  const raw = c.req.query('days');
  if (raw === undefined || raw === '' || raw === 'None') return DEFAULT_RETAIN_DAYS;
  if (!/^\d{1,6}$/.test(raw.trim())) throw new ApiError('BadRequest', 'days must be a non-negative integer');
  return Number(raw.trim());
}

function taskIdParam(c: Context<AppEnv>): string {
  const raw = c.req.param('id') ?? '';
  const id = normalizeTaskId(raw);
  if (id === null) throw new ApiError('NotFound', `Task ${raw.slice(0, 64)} does not exist`);
  return id;
}

taskRoutes.post('/tasks', requirePolicy('physical_provisioner:create_task'), async (c) => {
  const body = await readJsonBody(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('BadRequest', 'Request body must be a JSON object with action, design_ref and an optional node_filter.');
  }
  const { action, design_ref: designRef, node_filter: rawFilter } = body as Record<string, unknown>;
  if (!isAction(action)) throw new ApiError('BadRequest', `Unsupported action ${describeAction(action)}`);
  await requireActionPolicy(c, action);
  if (typeof designRef !== 'string' || designRef.trim() === '') {
    throw new ApiError('BadRequest', 'Task creation requires fields design_ref, action');
  }
  if (designRef.length > MAX_DESIGN_REF) {
    throw new ApiError('BadRequest', `design_ref must be at most ${MAX_DESIGN_REF} characters`);
  }
  if (rawFilter !== undefined && rawFilter !== null) {
    try {
      parseNodeFilter(rawFilter);
    } catch (err) {
      if (err instanceof NodeFilterError) throw new ApiError('BadRequest', `Invalid node_filter: ${err.message}`);
      throw err;
    }
  }
  const { database, clock, scheduler, siteDesign } = c.get('services');
  const principal = c.get('principal');
  const task = await createTask(
    { db: database.db, clock, scheduler, log: c.get('log'), siteDesign },
    {
      action,
      designRef: designRef.trim(),
      nodeFilter: rawFilter ?? null,
      createdBy: principal?.user ?? null,
      requestContext: taskRequestContext(principal, c.get('requestId'), c.get('endUser')),
    },
  );
  return c.json(task, 201, { Location: `${API_PREFIX}/tasks/${task.task_id}` });
});

/**
 * Drydock's list of tasks, newest first, a page at a time: the body stays a
 * JSON list; the next page's cursor is in X-Next-Cursor and a Link header.
 * `top_level=true` leaves out subtasks (a deploy of 100 nodes has dozens).
 */
taskRoutes.get('/tasks', requirePolicy('physical_provisioner:read_task'), async (c) => {
  const limit = parseTaskPageLimit(c.req.query('limit'));
  const cursor = c.req.query('cursor');
  const topLevel = boolParam(c, 'top_level');
  const { database, config } = c.get('services');
  const linkBase = publicBase(config, c.req.url) ?? undefined;
  const page = await listTasks(database.db, { limit, cursor: cursor || undefined, topLevel, linkBase });
  if (page.nextCursor) {
    c.header('X-Next-Cursor', page.nextCursor);
    const filter = topLevel ? '&top_level=true' : '';
    c.header('Link', `<${API_PREFIX}/tasks?limit=${limit}${filter}&cursor=${page.nextCursor}>; rel="next"`);
  }
  return c.json(page.tasks);
});

taskRoutes.delete('/tasks', requirePolicy('physical_provisioner:delete_tasks'), async (c) => {
  const days = daysParam(c);
  const { database, clock } = c.get('services');
  const { deleted, cutoff } = await deleteTasksOlderThan({ db: database.db, clock }, days);
  c.get('log').info('tasks purged', { days, deleted });
  // Drydock answered the bare text "Tables purged successfully." (which its
  // client ignores); this keeps that message in a Status that counts the tasks.
  return c.json({
    kind: 'Status',
    apiVersion: 'v1.0',
    metadata: {},
    status: 'Success',
    message: 'Tables purged successfully.',
    reason: `Removed ${deleted} task(s) created before ${cutoff.toISOString()}`,
    details: { errorCount: 0, messageList: [] },
    code: 200,
    deleted_tasks: deleted,
  });
});

taskRoutes.get('/tasks/:id', requirePolicy('physical_provisioner:read_task'), async (c) => {
  const id = taskIdParam(c);
  const { database, config } = c.get('services');
  const options = {
    buildData: boolParam(c, 'builddata'),
    subtaskErrors: boolParam(c, 'subtaskerrors'),
    layers: layersParam(c),
    linkBase: publicBase(config, c.req.url) ?? undefined,
  };
  const view = await getTaskView(database.db, id, options);
  if (!view) throw new ApiError('NotFound', `Task ${id} does not exist`);
  return c.json(view);
});

/**
 * Ends a task and its subtasks at their next step (not in Drydock's API).
 * Needs the rule that creating the task's action needs (e.g.
 * physical_provisioner:deploy_nodes): whoever may start a deploy may stop it.
 * 202 with the task, now `terminating`; 409 for a subtask or a final task.
 */
taskRoutes.post('/tasks/:id/terminate', async (c) => {
  const principal = await authenticate(c);
  const id = taskIdParam(c);
  const { database, clock, scheduler } = c.get('services');
  const { task, root } = await taskAndRoot(database.db, id);
  await requireActionPolicy(c, root.action);
  await terminateTask({ db: database.db, clock, scheduler, log: c.get('log') }, task, principal.user ?? null);
  const view = await getTaskView(database.db, id, { buildData: false, subtaskErrors: false, layers: 0 });
  return c.json(view, 202);
});

/** As Drydock, 404 both for an unknown task and for a task that collected nothing. */
taskRoutes.get('/tasks/:id/builddata', requirePolicy('physical_provisioner:read_build_data'), async (c) => {
  const id = taskIdParam(c);
  const records = await listTaskBuildData(c.get('services').database.db, id);
  if (records.length === 0) throw new ApiError('NotFound', `No build data found for task ${id}`);
  return c.json(records);
});
