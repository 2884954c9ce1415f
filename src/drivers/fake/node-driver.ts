import type { DriverAction } from '../actions.ts';
import type { DriverContext, MachineSummary, NodeDriver } from '../types.ts';
import { runAgent } from './agent.ts';
import { FAKE_LAB_IMAGES } from './boot-images.ts';
import { buildDataOf, installLogOf } from './builddata.ts';
import { recordDelivery } from './delivery.ts';
import { takeDelivered } from './machine-memory.ts';
import { effectiveRow } from './engine.ts';
import { NODE_PLANS } from './node-plans.ts';
import { actionsOf, runPlan } from './run.ts';
import { detailOf, listMachineRows, loadMachine, type MachineRow } from './store.ts';

type SiteWide = (ctx: DriverContext) => string;

/**
 * Site-wide setup Drydock's MAAS driver does against MAAS (check it is up
 * and has images, configure DHCP relays and repositories, build fabrics
 * and subnets, register SSH keys). The in-process lab needs none of it, so
 * each is done at once, saying what it would have configured.
 */
const SITE_WIDE: Partial<Record<DriverAction, SiteWide>> = {
  validate_node_services: () => `The fake lab is in-process and has synced boot resources: ${Object.keys(FAKE_LAB_IMAGES).join(', ')}.`,
  configure_node_provisioner: (ctx) =>
    `The fake lab needs no provisioner configuration (${ctx.site.region?.repositories?.list.length ?? 0} repositories in the design).`,
  create_network_template: (ctx) =>
    `Network template of ${ctx.site.networks.size} networks and ${ctx.site.networkLinks.size} network links accepted by the fake lab.`,
  configure_user_credentials: (ctx) =>
    `${ctx.site.region?.authorizedKeys.length ?? 0} SSH keys registered with the fake lab.`,
};

const summaryOf = (row: MachineRow): MachineSummary => ({
  hostname: row.nodeName,
  memory: row.memoryMb,
  cpu_count: row.cpuCount,
  status_name: row.status,
  boot_mac: row.bootMac,
  power_state: row.powerState,
  power_address: row.powerAddress,
  boot_ip: row.bootIp,
});

/** The fake lab's node driver, standing in for MAAS. Stateless: the lab lives in fake_lab_machines. */
export function createFakeNodeDriver(): NodeDriver {
  return {
    name: 'fake',
    actions: actionsOf('node'),
    async run(ctx, action, node) {
      const siteWide = SITE_WIDE[action];
      if (siteWide) return { state: 'done', detail: siteWide(ctx) };
      const progress = await runPlan(ctx, 'fake node driver', NODE_PLANS, action, node);
      if (action === 'deploy_node' && node && progress.state === 'done' && ctx.config.FAKE_LAB_AGENT !== 'off') {
        // The deployed machine boots and runs its boot actions, once per delivered context.
        const delivered = takeDelivered(node.name);
        if (delivered) {
          await runAgent(ctx, node, delivered).catch((err: unknown) => {
            ctx.logger.warn('simulated node agent failed', { node: node.name, error: err instanceof Error ? err.message : String(err) });
          });
        }
      }
      return progress;
    },
    deliverBootActionContext: recordDelivery,
    bootImages: async () => FAKE_LAB_IMAGES,
    async health() {
      return 'fake lab is in-process; its machines live in the database';
    },
    /** Machines whose operation has run its time show its outcome, though nobody has completed it yet. */
    async listMachines(ctx) {
      const now = ctx.clock();
      const rows = await listMachineRows(ctx.db);
      return rows.map((row) => summaryOf(effectiveRow(row, ctx.config.FAKE_LAB_STEP_MS, now)));
    },
    async getMachine(ctx, hostname) {
      const row = await loadMachine(ctx.db, hostname);
      return row ? summaryOf(effectiveRow(row, ctx.config.FAKE_LAB_STEP_MS, ctx.clock())) : null;
    },
    async collectBuildData(ctx, node, stage = 'commission') {
      const row = await loadMachine(ctx.db, node.name);
      if (!row) return [];
      const machine = effectiveRow(row, ctx.config.FAKE_LAB_STEP_MS, ctx.clock());
      if (stage === 'deploy') {
        const deployed = detailOf(machine)['deployed'];
        return typeof deployed === 'string' ? [installLogOf(node, new Date(deployed))] : [];
      }
      const commissioned = detailOf(machine)['commissioned'];
      if (typeof commissioned !== 'string') return [];
      return buildDataOf(node, ctx.site, machine, new Date(commissioned));
    },
  };
}
