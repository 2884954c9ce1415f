import { packageListFor } from '../bootaction/render/index.ts';
import type { BootActionDelivery } from '../drivers/types.ts';
import { bootActionReportUrl } from '../core/public-url.ts';
import { createBootActionContexts } from '../bootaction/contexts.ts';
import type { PhaseEntry } from './node-plan.ts';
import { nodeMessage, taskMessage, type StepContext } from './step.ts';


/**
 * Before deploy_node (Drydock creates the context in the MAAS driver's
 * DeployNode): new boot action contexts for the nodes about to deploy, each
 * handed to the node driver with the node's package list, as Drydock passes
 * cloud-config `packages`. The keys exist here and in the driver only: they
 * are in no message, log line or saved step state.
 *
 * A package list that cannot be compiled keeps the node from deploying (as
 * Drydock's DeployNode fails the node when its user data cannot be built);
 * so does a delivery the driver refuses.
 */
export async function deliverBootActionContexts(ctx: StepContext, nodes: string[]): Promise<PhaseEntry> {
  const site = await ctx.site();
  const clock = () => ctx.now;
  const contexts = await createBootActionContexts(
    { db: ctx.db, clock, config: ctx.config },
    { taskId: ctx.row.taskId, site, nodeNames: nodes },
  );
  const entry: PhaseEntry = { failures: {}, messages: [] };
  if (contexts.size === 0) return entry;
  const driver = ctx.drivers.node;
  if (!driver.deliverBootActionContext) {
    entry.messages.push(
      taskMessage(ctx, `The ${driver.name} node driver cannot deliver boot action contexts; their reports will time out.`, true),
    );
    return entry;
  }
  const dctx = ctx.driverContext(site);
  const options = {
    fetch: dctx.fetch,
    timeoutMs: ctx.config.DESIGN_FETCH_TIMEOUT_MS,
    maxBytes: ctx.config.DESIGN_MAX_BYTES,
    retries: ctx.config.DESIGN_FETCH_RETRIES,
    ...(ctx.config.DESIGN_ALLOWED_HOSTS ? { allowHosts: ctx.config.DESIGN_ALLOWED_HOSTS } : {}),
    designRef: ctx.row.designRef ?? '',
    reportUrl: bootActionReportUrl(ctx.config),
  };
  await Promise.all(
    [...contexts].map(async ([name, context]) => {
      const node = site.nodes.get(name);
      if (!node) return;
      try {
        const packages = await packageListFor(site, name, options);
        const payload: BootActionDelivery = { nodeKey: context.nodeKey, actions: context.actions, packages };
        await driver.deliverBootActionContext?.(dctx, node, payload);
        const count = context.actions.length;
        entry.messages.push(nodeMessage(name, `Boot action context of ${count} action(s) delivered to ${name}.`));
      } catch (err) {
        entry.failures[name] = `boot action context not delivered: ${err instanceof Error ? err.message : String(err)}`;
      }
    }),
  );
  return entry;
}
