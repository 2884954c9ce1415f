/**
 * Creating a top-level task (POST /tasks): Drydock's TasksResource.create_task
 * then Orchestrator.create_task, which store the task and mark it queued (the
 * orchestrator's createTaskRecord). The scheduler is then asked to advance it
 * now; if that request is lost the sweep still finds the task, since its
 * next_run_at is due at creation. prepare_nodes, deploy_nodes and
 * destroy_nodes also claim their nodes in the same batch (node-claims.ts).
 */
import { sql } from 'drizzle-orm';
import type { Principal } from '../../auth/principal.ts';
import { runBatch } from '../../db/batch.ts';
import { insertTaskEvents } from '../../db/task-events.ts';
import type { Db } from '../../db/types.ts';
import { insertTask, newTaskValues, type NewTask, type TaskRow } from '../../orchestrator/task-store.ts';
import type { TopLevelAction } from '../../orchestrator/types.ts';
import type { ServiceContext } from '../context.ts';
import { CLAIMING_ACTIONS, claimTargets, insertClaimingTask } from './node-claims.ts';
import { toDrydockTask, type DrydockTask } from './serialize.ts';

/** siteDesign: to find the nodes a node task claims; requestId and endUser go into the task's request context. */
type CreateTaskContext = Pick<ServiceContext, 'db' | 'clock' | 'scheduler' | 'log' | 'siteDesign' | 'requestId' | 'endUser'>;

export interface CreateTaskInput {
  action: TopLevelAction;
  designRef: string;
  /** The node_filter as the client sent it, already validated; stored and echoed as is (as Drydock). */
  nodeFilter: unknown;
  /** Who asks (null without authentication): the task's created_by and request context. */
  principal: Principal | null;
}

/** The request context Drydock persists with a task (DrydockRequestContext.to_dict()), in its keys. */
function taskRequestContext(principal: Principal | null, requestId: string, endUser: string | null): Record<string, unknown> {
  return {
    user: principal?.user ?? null,
    user_id: principal?.userId ?? null,
    user_domain_id: principal?.userDomainId ?? null,
    roles: principal?.roles ?? [],
    project_id: principal?.projectId ?? null,
    project_domain_id: principal?.projectDomainId ?? null,
    is_admin_project: principal?.isAdminProject ?? false,
    authenticated: principal !== null,
    request_id: requestId,
    external_marker: requestId,
    end_user: endUser,
  };
}

/** The task's first event (GET /tasks/{id}/events), written with its row. */
const insertCreatedEvent = (db: Db, values: { taskId: string; created: Date }) =>
  insertTaskEvents(db, sql`t.task_id = ${values.taskId}`, values.created.getTime());

export async function createTask(ctx: CreateTaskContext, input: CreateTaskInput): Promise<DrydockTask> {
  const createdBy = input.principal?.user ?? null;
  const record: NewTask = {
    action: input.action,
    designRef: input.designRef,
    nodeFilter: input.nodeFilter ?? null,
    createdBy,
    requestContext: taskRequestContext(input.principal, ctx.requestId, ctx.endUser),
  };
  const targets = CLAIMING_ACTIONS.has(input.action)
    ? await claimTargets(ctx, { designRef: input.designRef, nodeFilter: record.nodeFilter, createdBy })
    : null;
  const values = newTaskValues(ctx, { ...record, designContentHash: targets?.contentHash ?? null });
  const nodes = targets?.nodes ?? null;
  const row =
    nodes && nodes.length > 0
      ? await insertClaimingTask(ctx.db, values, nodes)
      : ((await runBatch(ctx.db, [insertTask(ctx.db, values), insertCreatedEvent(ctx.db, values)]))[0] as TaskRow[])[0];
  if (!row) throw new Error('task insert returned no row');
  // Not the design_ref: an http ref may carry credentials.
  ctx.log.info('task created', { task_id: row.taskId, action: row.action, nodes: nodes?.length ?? null });
  // The task as created (queued), whatever an eager scheduler does with it next.
  const task = toDrydockTask(row, [], []);
  try {
    await ctx.scheduler.schedule(row.taskId, 0);
  } catch (err) {
    ctx.log.warn('task not scheduled; the sweep will pick it up', {
      task_id: row.taskId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  return task;
}
