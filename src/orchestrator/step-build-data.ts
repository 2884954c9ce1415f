import type { BaremetalNode } from '../design/model.ts';
import type { BuildDataStage, CollectedBuildData, DriverContext, RecordedBuildData } from '../drivers/types.ts';
import { apiPath } from '../core/public-url.ts';
import { nodeMessage, type StepContext } from './step.ts';
import type { ResultLink, TaskMessage } from './task-store.ts';

/**
 * What a driver subtask says about a node's build data, whether the step
 * collected it (in-process) or a site agent did and its result recorded it:
 * the same words either way.
 */
export function buildDataMessage(node: string, outcome: RecordedBuildData): TaskMessage {
  return 'saved' in outcome
    ? nodeMessage(node, `Collected ${outcome.saved} build data element(s) for ${node}`)
    : nodeMessage(node, `Build data of ${node} could not be collected: ${outcome.error}`);
}

/**
 * Build data of nodes that finished a stage (Drydock collects it after
 * commissioning and after deployment). A collection error is reported, not a
 * node failure, as Drydock logs and carries on.
 */
export async function collectBuildData(
  ctx: StepContext,
  dctx: DriverContext,
  nodes: BaremetalNode[],
  stage: BuildDataStage,
  messages: TaskMessage[],
): Promise<CollectedBuildData[]> {
  if (nodes.length === 0) return [];
  const collected = await Promise.all(
    nodes.map(async (node) => {
      try {
        const records = await ctx.drivers.node.collectBuildData(dctx, node, stage);
        messages.push(buildDataMessage(node.name, { saved: records.length }));
        return records;
      } catch (err) {
        messages.push(buildDataMessage(node.name, { error: String(err) }));
        return [];
      }
    }),
  );
  return collected.flat();
}

/** The task's links with its build data as `detail_logs`; stored as a path, answered absolute (src/core/public-url.ts). */
export function detailLogs(ctx: StepContext): ResultLink[] {
  const href = apiPath(`/tasks/${ctx.row.taskId}/builddata`);
  const links = ctx.row.resultLinks;
  return links.some((l) => l.rel === 'detail_logs') ? links : [...links, { rel: 'detail_logs', href }];
}
