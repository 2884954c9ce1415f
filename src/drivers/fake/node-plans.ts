import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import { done, failed, failedBy, injected, start, statusText, type Plan } from './decisions.ts';
import { deploymentRecord, networkingRecord, platformRecord, storageRecord } from './records.ts';
import { detailOf } from './store.ts';

/**
 * The node driver's per-node actions, after Drydock's MAAS driver
 * (maasdriver/actions/node.py): the same statuses accepted, skipped or
 * refused, and its messages where it has them.
 */

const identify: Plan = (ctx, node) => {
  const why = injected(ctx, node, 'identify');
  if (why) return failed(`Node ${node.name} not found in the fake lab${why}`);
  return start({}, { result: 'done', message: `Node ${node.name} identified in the fake lab`, record: { identified: true } });
};

const COMMISSIONED = new Set(['Ready', 'Allocated', 'Deploying', 'Deployed']);

/** MAAS commissions New machines and retries Failed commissioning; commissioned ones are skipped. */
const commission: Plan = (ctx, node, row) => {
  if (COMMISSIONED.has(row.status)) {
    return done(`Located node ${node.name} in the fake lab, node commissioned. Skipping...`);
  }
  if (row.status !== 'New' && failedBy(row) !== 'configure_hardware') {
    return failed(`Located node ${node.name} in the fake lab, unknown status ${statusText(row)}. Skipping.`);
  }
  const why = injected(ctx, node, 'commission');
  return start(
    { status: 'Commissioning', powerState: 'on' },
    why
      ? { result: 'failed', status: 'Failed', powerState: 'off', message: `Node ${node.name} failed commissioning.${why}`, clear: ['commissioned'] }
      : { result: 'done', status: 'Ready', powerState: 'off', message: `Node ${node.name} commissioned.`, stamp: 'commissioned' },
  );
};

const DEPLOYED_SKIP = (name: string) =>
  `Located node ${name} in the fake lab, status deployed. Skipping and considering success. Destroy node first if redeploy needed.`;

/**
 * ApplyNodeNetworking/Storage/Platform: a Deployed machine is skipped as a
 * success; otherwise the machine must be Ready. As in Drydock, networking
 * first releases a machine whose deployment failed, so a deploy can be retried.
 */
function apply(
  kind: 'networking' | 'storage' | 'platform',
  render: (node: BaremetalNode, site: SiteModel) => unknown,
): Plan {
  return (ctx, node, row) => {
    if (row.status === 'Deployed') return done(DEPLOYED_SKIP(node.name));
    const release = kind === 'networking' && failedBy(row) === 'deploy_node';
    if (row.status !== 'Ready' && !release) {
      return failed(`Node ${node.name} is ${statusText(row)}; applying ${kind} needs a commissioned (Ready) machine.`);
    }
    const why = injected(ctx, node, kind);
    if (why) return failed(`Error configuring ${kind} for node ${node.name}.${why}`);
    const message = `Applied ${kind} to node ${node.name}.`;
    return start(
      {},
      {
        result: 'done',
        message: release ? `Released failed node ${node.name} to retry deployment. ${message}` : message,
        record: { [kind]: render(node, ctx.site) },
        ...(release ? { status: 'Ready', powerState: 'off' } : {}),
      },
    );
  };
}

/**
 * Ready -> Deploying -> Deployed, the machine powered on by the lab as MAAS
 * does. Drydock retries deploy_node up to three times, but from MAAS's
 * `Failed deployment` its DeployNode refuses ("Unexpected status"), so the
 * retries could never help; here a deploy that failed can be retried.
 */
const deploy: Plan = (ctx, node, row) => {
  if (row.status === 'Deployed') return done(`Node ${node.name} already deployed, skipping.`);
  if (row.status !== 'Ready' && failedBy(row) !== 'deploy_node') {
    return failed(`Unexpected status ${statusText(row)} for node ${node.name}, skipping deployment.`);
  }
  const why = injected(ctx, node, 'deploy');
  return start(
    { status: 'Deploying', powerState: 'on' },
    why
      ? { result: 'failed', status: 'Failed', message: `Node ${node.name} deployment failed.${why}`, clear: ['deployed'] }
      : {
          result: 'done',
          status: 'Deployed',
          powerState: 'on',
          message: `Node ${node.name} deployed.`,
          record: { deployment: deploymentRecord(node) },
          stamp: 'deployed',
        },
  );
};

const RELEASABLE = new Set(['Allocated', 'Deployed']);
const APPLIED = ['networking', 'storage', 'platform', 'deployment', 'deployed'];

/**
 * MAAS releases (and erases) a deployed machine, which ends Ready and
 * powered off; from any other state Drydock only resets its storage. Drydock
 * then deletes the machine from MAAS; the lab keeps it, Ready, so the same
 * simulated hardware can be prepared again.
 */
const destroy: Plan = (ctx, node, row) => {
  const by = failedBy(row);
  if (!RELEASABLE.has(row.status) && by !== 'deploy_node' && by !== 'destroy_node') {
    const { storage: _erased, ...rest } = detailOf(row);
    const changes = 'storage' in detailOf(row) ? { detail: rest } : undefined;
    return done(`Destroy node ${node.name} in status: ${row.status}, resetting storage.`, changes);
  }
  const why = injected(ctx, node, 'release');
  return start(
    { status: 'Releasing', powerState: 'on' },
    why
      ? { result: 'failed', status: 'Failed', message: `Error releasing node ${node.name}.${why}` }
      : { result: 'done', status: 'Ready', powerState: 'off', message: `Node ${node.name} released and disk erased.`, clear: APPLIED },
  );
};

/** Drydock's MAAS InterrogateNode always fails (not implemented); the lab reports what it knows. */
const interrogate: Plan = (_ctx, node, row) =>
  done(`Node ${node.name}: status ${statusText(row)}, power ${row.powerState}, boot device ${row.bootDevice}.`);

export const NODE_PLANS: Partial<Record<DriverAction, Plan>> = {
  identify_node: identify,
  configure_hardware: commission,
  interrogate_node: interrogate,
  apply_node_networking: apply('networking', networkingRecord),
  apply_node_storage: apply('storage', storageRecord),
  apply_node_platform: apply('platform', (node) => platformRecord(node)),
  deploy_node: deploy,
  destroy_node: destroy,
};
