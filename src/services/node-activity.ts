/**
 * The newest task that did something to each node: delivered its boot
 * actions (a deploy) or collected its build data. The web view's "last
 * task"; node drivers know nothing of tasks.
 */
import { eq, sql } from 'drizzle-orm';
import { bootActionStatus } from '../db/schema/bootactions.ts';
import { buildData } from '../db/schema/builddata.ts';
import type { ServiceContext } from './context.ts';

export interface NodeLastTask {
  taskId: string;
  at: Date;
}

/** Every node's (or one node's) last task, by node name. SQLite takes a bare column (task_id) from the row max() chose. */
export async function lastTaskPerNode(ctx: Pick<ServiceContext, 'db'>, nodeName?: string): Promise<Map<string, NodeLastTask>> {
  const { db } = ctx;
  const [actions, collected] = await Promise.all([
    db
      .select({ node: bootActionStatus.nodeName, taskId: bootActionStatus.taskId, at: sql<number>`max(${bootActionStatus.created})` })
      .from(bootActionStatus)
      .where(nodeName === undefined ? undefined : eq(bootActionStatus.nodeName, nodeName))
      .groupBy(bootActionStatus.nodeName),
    db
      .select({ node: buildData.nodeName, taskId: buildData.taskId, at: sql<number>`max(${buildData.collectedDate})` })
      .from(buildData)
      .where(nodeName === undefined ? undefined : eq(buildData.nodeName, nodeName))
      .groupBy(buildData.nodeName),
  ]);
  const last = new Map<string, NodeLastTask>();
  for (const row of [...actions, ...collected]) {
    const at = new Date(Number(row.at));
    const known = last.get(row.node);
    if (!known || known.at < at) last.set(row.node, { taskId: row.taskId, at });
  }
  return last;
}
