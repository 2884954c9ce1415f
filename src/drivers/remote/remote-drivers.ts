import type { Config } from '../../core/config.ts';
import type { Drivers, DriverContext, KubernetesDriver, NodeDriver, OobDriver } from '../types.ts';
import { remoteDelivery, remoteRun, siteOf, type RemoteDriverKey } from './remote-run.ts';
import type { SecretBox } from '../../core/secret-box.ts';
import type { CallWakeups } from './call-wakeups.ts';

const AT_AGENT = 'runs at the site agents (DRIVER_LOCATION=agent)';
const REPORTED = 'read the inventory they report (POST /agents/inventory)';

/** Whether this call's site has its driver calls run by its agent. */
const remoteFor = (config: Config, ctx: Pick<DriverContext, 'site'>) =>
  config.AGENT_SITES.length === 0 || config.AGENT_SITES.includes(siteOf(ctx));

/** What the remote drivers need beyond the config. */
export interface AtSiteAgents {
  /** Seals a deploying node's boot action context for its row. */
  box?: SecretBox;
  /** Told of each queued call, to wake its site's waiting lease. */
  wakeups?: CallWakeups;
}

function wrapRun<D extends NodeDriver | OobDriver | KubernetesDriver>(driver: D, key: RemoteDriverKey, config: Config, wakeups?: CallWakeups): D {
  return {
    ...driver,
    run: (ctx, action, node, memo) => (remoteFor(config, ctx) ? remoteRun(key, ctx, action, node, memo, wakeups) : driver.run(ctx, action, node, memo)),
    // The edge cannot reach the site's backends; the agents' heartbeats say how they are.
    health: config.AGENT_SITES.length === 0 ? async () => AT_AGENT : driver.health,
  };
}

/**
 * The drivers of an edge whose driver calls run at the sites' agents: the
 * same names, actions and OOB types (the orchestrator still picks drivers
 * by them), each call queued for the site's agent (remote-run.ts), a
 * deploying node's key too (sealed). What the edge cannot do without the
 * site (list MAAS's machines and images) says so: the services answer those
 * from the inventory the agents report.
 */
export function atSiteAgents(drivers: Drivers, config: Config, { box, wakeups }: AtSiteAgents = {}): Drivers {
  const node = wrapRun(drivers.node, 'node', config, wakeups);
  const local = drivers.node;
  return {
    node: {
      ...node,
      // An agent's build data is saved with its result and reported from it (services/agents/results.ts,
      // Progress.buildData); never collected again here.
      collectBuildData: (ctx, n, stage = 'commission') => (remoteFor(config, ctx) ? Promise.resolve([]) : local.collectBuildData(ctx, n, stage)),
      deliverBootActionContext: local.deliverBootActionContext
        ? async (ctx, n, payload) => {
            if (!remoteFor(config, ctx)) return local.deliverBootActionContext!(ctx, n, payload);
            await remoteDelivery(ctx, n, payload, box, wakeups);
          }
        : undefined,
      // Known at the sites: GET /nodes and the design rules read what the agents reported (services/agents/inventory.ts).
      listMachines: config.AGENT_SITES.length === 0 ? async () => Promise.reject(new Error(`the machines are known at the site agents; ${REPORTED}`)) : local.listMachines,
      getMachine: config.AGENT_SITES.length === 0 ? async () => Promise.reject(new Error(`the machines are known at the site agents; ${REPORTED}`)) : local.getMachine,
      bootImages: config.AGENT_SITES.length === 0 ? async () => Promise.reject(new Error(`the boot images are known at the site agents; ${REPORTED}`)) : local.bootImages,
    },
    oob: drivers.oob.map((d) => wrapRun(d, `oob:${d.name}`, config, wakeups)),
    kubernetes: drivers.kubernetes ? wrapRun(drivers.kubernetes, 'kubernetes', config, wakeups) : null,
  };
}
