import type { Logger } from '../core/log.ts';
import type { BaremetalNode, SiteModel } from '../design/model.ts';
import { BUILD_DATA_STAGES, DRIVER_ACTIONS, type DriverAction } from '../drivers/actions.ts';
import { DELIVER_CONTEXT } from '../drivers/remote/remote-run.ts';
import type { DriverContext, Drivers, KubernetesDriver, NodeDriver, OobDriver, Progress } from '../drivers/types.ts';
import type { Call, WireBuildData } from './protocol.ts';

type AnyDriver = NodeDriver | OobDriver | KubernetesDriver;

/** What every call's DriverContext shares: the site's settings, fetch, clock, logger, database. */
export type BaseContext = Omit<DriverContext, 'site' | 'taskId' | 'designRef'>;

export interface CallOutcome {
  progress: Progress;
  buildData?: WireBuildData[];
  buildDataError?: string;
}

const isDriverAction = (action: string): action is DriverAction => Object.hasOwn(DRIVER_ACTIONS, action);

/**
 * The driver a call names (`node`, `oob:<name>`, `kubernetes`), or why
 * this agent cannot run it. The edge chose the driver; the agent only runs
 * what its own settings enabled, and says so when it cannot.
 */
export function driverOf(drivers: Drivers, call: Pick<Call, 'driver' | 'action'>): AnyDriver | string {
  if (!isDriverAction(call.action)) return `unknown driver action ${call.action}`;
  const kind = DRIVER_ACTIONS[call.action];
  const [named, oobName] = call.driver.split(/:(.*)/s);
  if (named !== kind) return `${call.action} is a ${kind} action, not one for driver ${call.driver}`;
  let driver: AnyDriver | null | undefined;
  if (kind === 'node') driver = drivers.node;
  else if (kind === 'kubernetes') driver = drivers.kubernetes;
  else driver = drivers.oob.find((d) => d.name === oobName);
  if (!driver) {
    return kind === 'kubernetes'
      ? 'no kubernetes driver enabled at this site agent (KUBERNETES_DRIVER)'
      : `OOB driver ${oobName ?? ''} is not enabled at this site agent (OOB_DRIVER=${drivers.oob.map((d) => d.name).join(',')})`;
  }
  if (!driver.actions.has(call.action)) return `the ${driver.name} driver does not support ${call.action}`;
  return driver;
}

export interface RunCallDeps {
  drivers: Drivers;
  base: BaseContext;
  /** SITE: a design of another site is not run with this site's credentials. */
  siteName: string;
  logger: Logger;
}

const failed = (reason: string): CallOutcome => ({ progress: { state: 'failed', reason } });

/**
 * A deploying node's boot action context handed to the node driver at the
 * site (MAAS: the key into the deployment's user data and/or tag; the deploy
 * starts there). The key is never logged: a failure's text is the driver's,
 * which keeps it out.
 */
async function deliver(deps: RunCallDeps, call: Call, site: SiteModel): Promise<CallOutcome> {
  const context = call.boot_action_context;
  const node = call.node === null ? undefined : site.nodes.get(call.node);
  if (!context || !node) return failed(`${DELIVER_CONTEXT} needs a node of the design and its context`);
  const driver = deps.drivers.node;
  if (!driver.deliverBootActionContext) return { progress: { state: 'done', detail: `the ${driver.name} node driver takes no boot action context` } };
  const ctx: DriverContext = { ...deps.base, site, taskId: call.task_id, designRef: `design content ${call.design.content_hash}` };
  const payload = { nodeKey: context.node_key, actions: context.actions.map((a) => ({ name: a.name, actionId: a.action_id, signaling: a.signaling })), packages: context.packages };
  try {
    await driver.deliverBootActionContext(ctx, node, payload);
    return { progress: { state: 'done' } };
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split(context.node_key).join('…');
    deps.logger.warn('boot action context not delivered', { call_id: call.call_id, node: node.name, error: reason });
    return failed(reason);
  }
}

/**
 * One leased call, as the orchestrator's driver step runs it in-process
 * (src/orchestrator/driver-step.ts): the driver's answer, a thrown error
 * as a failure, and build data after interrogate_node and deploy_node.
 */
export async function runCall(deps: RunCallDeps, call: Call, site: SiteModel): Promise<CallOutcome> {
  if (call.action === DELIVER_CONTEXT) return deliver(deps, call, site);
  const driver = driverOf(deps.drivers, call);
  if (typeof driver === 'string') return failed(driver);
  const region = site.region?.name;
  if (region !== undefined && region !== deps.siteName) {
    return failed(`the design is of site ${region}; this agent serves site ${deps.siteName}`);
  }
  let node: BaremetalNode | null = null;
  if (call.node !== null) {
    node = site.nodes.get(call.node) ?? null;
    if (!node) return failed(`node ${call.node} is not in the site design`);
  }
  const action = call.action as DriverAction;
  const ctx: DriverContext = { ...deps.base, site, taskId: call.task_id, designRef: `design content ${call.design.content_hash}` };
  let progress: Progress;
  try {
    progress = await driver.run(ctx, action, node, call.memo ?? undefined);
  } catch (err) {
    deps.logger.warn('driver call failed', { call_id: call.call_id, node: call.node, error: String(err) });
    progress = { state: 'failed', reason: err instanceof Error ? err.message : String(err) };
  }
  const stage = BUILD_DATA_STAGES[action];
  if (progress.state !== 'done' || !stage || !node) return { progress };
  try {
    const records = await deps.drivers.node.collectBuildData(ctx, node, stage);
    const buildData = records.map((r) => ({
      generator: r.generator,
      data_format: r.dataFormat,
      data_element: r.dataElement,
      collected_date: r.collectedDate.toISOString(),
    }));
    return { progress, buildData };
  } catch (err) {
    // As the orchestrator does: a collection error is reported, not a node failure.
    deps.logger.warn('build data could not be collected', { call_id: call.call_id, node: node.name, error: String(err) });
    return { progress, buildDataError: String(err) };
  }
}
