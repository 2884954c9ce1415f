/**
 * GET /tasks/{id} with Drydock's options (control/tasks.py TaskResource):
 * - builddata=true adds each returned task's `build_data`;
 * - layers=N (N >= 1) or -1 answers an object keyed by task id holding the
 *   task (layer 1) and its subtasks down to layer N (all with -1), plus
 *   `init_task_id`;
 * - subtaskerrors=true adds `subtask_errors`: for every subtask at any depth
 *   whose result has errors, that result plus its `task_id`. Without layers it
 *   goes on the task itself; with layers, on the keyed object.
 * The tree is read a layer at a time, a few statements per layer.
 */
import { ApiError } from '../../core/errors.ts';
import type { Db } from '../../db/types.ts';
import { listTaskBuildData, type DrydockBuildData } from '../builddata.ts';
import type { ServiceContext } from '../context.ts';
import { loadTask, loadTasks } from './load.ts';
import type { DrydockTask, DrydockTaskResult } from './serialize.ts';

export interface TaskViewOptions {
  buildData: boolean;
  subtaskErrors: boolean;
  /** 0: the task alone; N >= 1: N layers keyed by id; -1: every layer. */
  layers: number;
  /** Answer result links under this base (src/core/public-url.ts publicBase). */
  linkBase?: string;
}

export type SubtaskError = DrydockTaskResult & { task_id: string };

interface Walk {
  /** Subtasks within the requested layers (layer 1, the task itself, excluded). */
  included: Map<string, DrydockTask | null>;
  errors: Record<string, SubtaskError>;
}

/**
 * Walks the subtasks of `first` layer by layer: down to `layers` to include
 * them, and to the bottom when errors are collected.
 */
async function walk(db: Db, first: DrydockTask, layers: number, options: TaskViewOptions): Promise<Walk> {
  const included = new Map<string, DrydockTask | null>();
  const errors: Record<string, SubtaskError> = {};
  const seen = new Set([first.task_id]);
  let queued = first.subtask_id_list.filter((id) => !seen.has(id));
  for (let layer = 1; queued.length > 0; layer++) {
    const include = layers === -1 || layer < layers;
    if (!include && !options.subtaskErrors) break;
    for (const id of queued) seen.add(id);
    const loaded = await loadTasks(db, queued, { buildData: options.buildData && include, linkBase: options.linkBase });
    const next: string[] = [];
    for (const id of queued) {
      const task = loaded.get(id) ?? null;
      // Drydock lists a subtask it cannot load as null; so does this.
      if (include) included.set(id, task);
      if (!task) continue;
      next.push(...task.subtask_id_list.filter((s) => !seen.has(s)));
      if (options.subtaskErrors && task.result.details.errorCount > 0) {
        // A copy: Drydock added task_id to the result of the listed task itself.
        errors[id] = { ...task.result, task_id: id };
      }
    }
    queued = [...new Set(next)];
  }
  return { included, errors };
}

/** The task in the requested view; 404 when it does not exist. */
export async function getTaskView(ctx: Pick<ServiceContext, 'db'>, taskId: string, options: TaskViewOptions): Promise<Record<string, unknown>> {
  const { db } = ctx;
  const first = await loadTask(db, taskId, { buildData: options.buildData, linkBase: options.linkBase });
  if (!first) throw new ApiError('NotFound', `Task ${taskId} does not exist`);
  if (options.layers === 0) {
    if (!options.subtaskErrors) return { ...first };
    const { errors } = await walk(db, first, 1, { ...options, buildData: false });
    return { ...first, subtask_errors: errors };
  }
  const { included, errors } = await walk(db, first, options.layers, options);
  const view: Record<string, unknown> = { init_task_id: first.task_id, [first.task_id]: first };
  for (const [id, task] of included) view[id] = task;
  if (options.subtaskErrors) view['subtask_errors'] = errors;
  return view;
}

/** A task's build data, newest first; as Drydock, 404 both for an unknown task and for a task that collected nothing. */
export async function taskBuildData(ctx: Pick<ServiceContext, 'db'>, taskId: string): Promise<DrydockBuildData[]> {
  const records = await listTaskBuildData(ctx.db, taskId);
  if (records.length === 0) throw new ApiError('NotFound', `No build data found for task ${taskId}`);
  return records;
}
