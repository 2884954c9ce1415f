import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import { bmcAddressOf, bmcLoginOf, bmcProblems, bmcUrl } from '../oob/bmc-address.ts';
import { failureOf } from '../oob/failure.ts';
import { OobError } from '../oob/oob-error.ts';
import { powerStep, type PowerAction } from '../oob/power-flow.ts';
import type { DriverContext, DriverMemo, OobDriver, Progress } from '../types.ts';
import { setPxeOnce, systemSummary } from './boot.ts';
import { openSession } from './session.ts';
import { onlySystem, redfishPower } from './system.ts';

const ACTIONS: ReadonlySet<DriverAction> = new Set<DriverAction>([
  'validate_oob_services',
  'set_node_boot',
  'power_off_node',
  'power_on_node',
  'power_cycle_node',
  'interrogate_oob',
]);

export interface RedfishOptions {
  /**
   * The fetch BMC requests go through: on Node/Deno one that trusts
   * REDFISH_CA_FILE or skips verification (src/runtime/redfish-fetch.ts);
   * absent, the call context's fetch (Workers: the global one).
   */
  fetch?: typeof fetch;
}

/**
 * Drydock's ValidateOobServices says "OOB does not require services"; here
 * it also checks that each Redfish node can be reached at all (an address
 * and a login), so a design mistake shows before the first power action.
 */
function validateSite(site: SiteModel, oobTypes: readonly string[]): Progress {
  const problems = bmcProblems(site, oobTypes);
  if (problems.length > 0) return { state: 'failed', reason: problems.join('; ') };
  return { state: 'done', detail: 'Redfish needs no services; every redfish node has a BMC address and a login' };
}

async function act(ctx: DriverContext, http: Parameters<typeof redfishPower>[0], system: string, action: DriverAction, memo?: DriverMemo): Promise<Progress> {
  const polling = { pollMs: ctx.config.OOB_POWER_POLL_MS, maxPolls: ctx.config.OOB_POWER_MAX_POLLS };
  switch (action) {
    case 'set_node_boot':
      return setPxeOnce(http, system, memo, polling);
    case 'power_on_node':
    case 'power_off_node':
    case 'power_cycle_node':
      return powerStep(redfishPower(http, system), action satisfies PowerAction, memo, polling);
    case 'interrogate_oob': {
      const { body } = await http.get(system);
      return { state: 'done', detail: systemSummary(body) };
    }
    default:
      throw new OobError(`the redfish driver does not carry out ${action}`);
  }
}

/**
 * Drydock's redfish_driver: nodes of `oob.type: redfish`, one login per call
 * (logged out at its end), the node's one ComputerSystem, and power actions
 * that poll PowerState across calls instead of sleeping in a worker.
 */
export function createRedfishOobDriver(options: RedfishOptions = {}): OobDriver {
  const oobTypes = ['redfish'] as const;
  return {
    name: 'redfish',
    oobTypes,
    actions: ACTIONS,
    async run(ctx, action, node: BaremetalNode | null, memo) {
      if (action === 'validate_oob_services') return validateSite(ctx.site, oobTypes);
      if (!ACTIONS.has(action)) return { state: 'failed', reason: `The redfish OOB driver does not carry out ${action}.` };
      if (!node) return { state: 'failed', reason: `${action} acts on a node, and none was given.` };
      const secret = node.oob.credential;
      let bmc: string | null = null;
      try {
        bmc = bmcUrl(bmcAddressOf(node));
        const { account, credential } = bmcLoginOf(node);
        const session = await openSession({
          base: bmc,
          account,
          credential,
          fetch: options.fetch ?? ctx.fetch,
          timeoutMs: ctx.config.OOB_REQUEST_TIMEOUT_MS,
          logger: ctx.logger,
        });
        try {
          const system = await onlySystem(session.http, session.root);
          return await act(ctx, session.http, system, action, memo);
        } finally {
          await session.close();
        }
      } catch (err) {
        const failed = failureOf(node.name, bmc, err, [secret]);
        ctx.logger.warn('redfish call failed', { node: node.name, action, reason: failed.reason });
        return failed;
      }
    },
    async health() {
      return 'redfish OOB driver enabled: each node\'s BMC is reached when a task acts on it';
    },
  };
}
