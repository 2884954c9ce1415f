import type { BaremetalNode } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import { withoutSecrets } from '../redact.ts';
import type { DriverContext, NodeDriver, Progress } from '../types.ts';
import { parseMaasApiKey } from './api-key.ts';
import { MaasClient } from './client.ts';
import { commissionStep, type CommissionSettings } from './commission.ts';
import { deployStep, startDeploy, type DeploySettings } from './deploy.ts';
import { destroyStep, type DestroySettings } from './destroy.ts';
import { findNode, identifyNode } from './identify.ts';
import { maasBootImages } from './boot-images.ts';
import { collectMaasBuildData } from './build-data.ts';
import { listMaasMachines } from './machines.ts';
import { createNetworkTemplate } from './network-template.ts';
import { applyNodeNetworking } from './networking.ts';
import { applyNodePlatform } from './platform.ts';
import { checkMaasServices } from './services-check.ts';
import { applyNodeStorage } from './storage.ts';
import type { KeyDelivery } from './user-data.ts';
import { configureNodeProvisioner } from './provisioner.ts';
import { configureUserCredentials } from './user-credentials.ts';

/** What the MAAS driver is configured with (MAAS_* settings); the key is a secret. */
export interface MaasSettings {
  url: string;
  apiKey: string;
  timeoutMs: number;
  retries: number;
  /** The first wait before a retry; doubled after each. */
  backoffMs: number;
  /** identify_node sets an ipmi or redfish machine's power parameters from the design (Drydock's use_node_oob_params). */
  useNodeOobParams: boolean;
  commission: CommissionSettings;
  deploy: Omit<DeploySettings, 'keyDelivery'>;
  destroy: DestroySettings;
  keyDelivery: KeyDelivery;
}

// Every node action Drydock's MAAS driver carries out.
const ACTIONS: ReadonlySet<DriverAction> = new Set<DriverAction>([
  'validate_node_services',
  'create_network_template',
  'configure_user_credentials',
  'configure_node_provisioner',
  'identify_node',
  'configure_hardware',
  'interrogate_node',
  'apply_node_networking',
  'apply_node_platform',
  'apply_node_storage',
  'deploy_node',
  'destroy_node',
]);

/**
 * Drydock's MaasNodeDriver over MAAS's REST API 2.0: every action a bounded
 * call (a few requests), long ones (commissioning, deploying) answering
 * `pending` with the machine's system id in their memo until MAAS is done.
 */
export function createMaasNodeDriver(settings: MaasSettings): NodeDriver {
  const key = parseMaasApiKey(settings.apiKey);
  const clientFor = (ctx: Pick<DriverContext, 'fetch'>) => {
    if (!key) throw new Error('MAAS_API_KEY is not consumer_key:token_key:token_secret');
    return new MaasClient({ url: settings.url, key, fetch: ctx.fetch, timeoutMs: settings.timeoutMs, retries: settings.retries, backoffMs: settings.backoffMs });
  };
  const secrets = key ? [key.tokenSecret, key.tokenKey, key.consumerKey] : [settings.apiKey];
  const deploy = { ...settings.deploy, keyDelivery: settings.keyDelivery };
  const guarded = async (ctx: DriverContext, what: string, node: BaremetalNode | null, fn: () => Promise<Progress>): Promise<Progress> => {
    try {
      return await fn();
    } catch (err) {
      // With MAAS_USE_NODE_OOB_PARAMS the BMC password is in a request MAAS may quote.
      const message = `${node ? `node ${node.name}: ` : ''}${err instanceof Error ? err.message : String(err)}`;
      const reason = withoutSecrets(message, [...secrets, node?.oob.credential]);
      ctx.logger.warn('maas call failed', { action: what, node: node?.name ?? null, reason });
      return { state: 'failed', reason };
    }
  };
  return {
    name: 'maas',
    actions: ACTIONS,
    run(ctx, action, node, memo) {
      return guarded(ctx, action, node ?? null, async () => {
        const client = clientFor(ctx);
        if (action === 'validate_node_services') return checkMaasServices(client);
        if (action === 'configure_user_credentials') return configureUserCredentials(client, ctx.site);
        if (action === 'create_network_template') return createNetworkTemplate(client, ctx.site);
        if (action === 'configure_node_provisioner') return configureNodeProvisioner(client, ctx.site);
        if (!node) return { state: 'failed', reason: `${action} acts on a node, and none was given` };
        const now = ctx.clock().getTime();
        switch (action) {
          case 'identify_node':
            return identifyNode(client, node, settings.useNodeOobParams);
          case 'configure_hardware':
            return commissionStep(client, node, memo, settings.commission, now);
          case 'interrogate_node': {
            // Its build data is collected by the orchestrator after this answer (collectBuildData).
            const found = await findNode(client, node, true);
            if (!found) return { state: 'failed', reason: `node ${node.name} was not found in MAAS` };
            return { state: 'done', detail: `${found.machine.system_id} is ${found.machine.status_name ?? 'of unknown status'} in MAAS` };
          }
          case 'apply_node_networking':
            return applyNodeNetworking(client, node, ctx.site);
          case 'apply_node_platform':
            return applyNodePlatform(client, node);
          case 'apply_node_storage':
            return applyNodeStorage(client, node, ctx.site);
          case 'deploy_node':
            return deployStep(client, node, memo, deploy, now);
          case 'destroy_node':
            return destroyStep(client, node, memo, settings.destroy, now);
          default:
            return { state: 'failed', reason: `the maas node driver does not carry out ${action} yet` };
        }
      });
    },
    async deliverBootActionContext(ctx, node, payload) {
      try {
        await startDeploy(clientFor(ctx), node, payload, deploy);
      } catch (err) {
        // The key is in the tag's name and the user data: an error of MAAS's may quote either.
        throw new Error(withoutSecrets(err instanceof Error ? err.message : String(err), [payload.nodeKey, ...secrets]));
      }
    },
    async health(ctx) {
      const progress = await checkMaasServices(clientFor(ctx));
      if (progress.state === 'failed') throw new Error(progress.reason);
      return progress.state === 'done' ? (progress.detail ?? 'MAAS is ready') : 'MAAS answers';
    },
    listMachines: (ctx) => listMaasMachines(clientFor(ctx)),
    bootImages: (ctx) => maasBootImages(clientFor(ctx)),
    async getMachine(ctx, hostname) {
      return (await listMaasMachines(clientFor(ctx), hostname))[0] ?? null;
    },
    collectBuildData: (ctx, node, stage = 'commission') => collectMaasBuildData(clientFor(ctx), node, stage, ctx.clock()),
  };
}
