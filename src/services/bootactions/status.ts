/**
 * Boot actions as an operator sees them: per node and action, its status and
 * the messages the node reported (task result messages whose context is the
 * action id). Never a key or a digest. Not in Drydock's API; the web view's.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { chunked } from '../../db/chunks.ts';
import { bootActionStatus } from '../../db/schema/bootactions.ts';
import { resultMessages } from '../../db/schema/tasks.ts';
import type { ServiceContext } from '../context.ts';
import { toDrydockMessage, type DrydockTaskMessage } from '../tasks/index.ts';

export interface BootActionState {
  action_id: string;
  action_name: string;
  node_name: string;
  task_id: string;
  action_status: string;
  created: string;
  updated: string | null;
  messages: DrydockTaskMessage[];
}

/** A node's boot actions, newest first (at most `limit`, the latest deployments). */
export async function nodeBootActions(ctx: Pick<ServiceContext, 'db'>, nodeName: string, limit = 50): Promise<BootActionState[]> {
  const { db } = ctx;
  const rows = await db
    .select({
      actionId: bootActionStatus.actionId,
      actionName: bootActionStatus.actionName,
      nodeName: bootActionStatus.nodeName,
      taskId: bootActionStatus.taskId,
      actionStatus: bootActionStatus.actionStatus,
      created: bootActionStatus.created,
      updated: bootActionStatus.updated,
    })
    .from(bootActionStatus)
    .where(eq(bootActionStatus.nodeName, nodeName))
    .orderBy(desc(bootActionStatus.created), desc(bootActionStatus.actionId))
    .limit(limit);
  const byAction = new Map<string, DrydockTaskMessage[]>(rows.map((r) => [r.actionId, []]));
  const taskIds = [...new Set(rows.map((r) => r.taskId))];
  for (const ids of chunked(rows.map((r) => r.actionId), 40)) {
    const messages = await db
      .select()
      .from(resultMessages)
      .where(and(inArray(resultMessages.taskId, taskIds), inArray(resultMessages.context, ids)))
      .orderBy(resultMessages.sequence);
    for (const m of messages) byAction.get(m.context!)?.push(toDrydockMessage(m));
  }
  return rows.map((r) => ({
    action_id: r.actionId,
    action_name: r.actionName,
    node_name: r.nodeName,
    task_id: r.taskId,
    action_status: r.actionStatus,
    created: r.created.toISOString(),
    updated: r.updated ? r.updated.toISOString() : null,
    messages: byAction.get(r.actionId) ?? [],
  }));
}
