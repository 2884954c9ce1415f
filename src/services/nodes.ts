/**
 * The machines as the enabled node driver knows them (GET /nodes,
 * GET /nodes/{hostname}), and a node's build data. Drydock asked MAAS
 * directly whatever driver was configured; here it is whichever node driver
 * is enabled (the fake lab by default). An edge whose driver calls all run
 * at site agents reaches no MAAS: it answers from the machine lists the
 * agents reported (services/agents/inventory.ts), saying when they were taken.
 */
import { everyCallAtAgents } from '../core/config.ts';
import { ApiError } from '../core/errors.ts';
import type { MachineSummary, NodeDriver } from '../drivers/types.ts';
import { reportedMachines } from './agents/inventory.ts';
import { listNodeBuildData, type DrydockBuildData } from './builddata.ts';
import type { ServiceContext } from './context.ts';

type NodesContext = Pick<ServiceContext, 'db' | 'config' | 'clock' | 'fetch' | 'log' | 'drivers'>;
type MachineContext = Parameters<NodeDriver['listMachines']>[0];

export type { MachineSummary };

const MAX_HOSTNAME = 255;

/** Runs a node driver read; a driver failure is 502, its own message (which can name internal endpoints) only logged. */
async function askDriver<T>(ctx: NodesContext, what: string, read: (driverCtx: MachineContext) => Promise<T>): Promise<T> {
  const { db, config, clock, fetch, log, drivers } = ctx;
  try {
    return await read({ db, config, clock, fetch, logger: log });
  } catch (err) {
    if (err instanceof ApiError) throw err;
    log.error(`node driver failed to ${what}`, { driver: drivers.node.name, error: err instanceof Error ? err.message : String(err) });
    throw new ApiError('BadGateway', `The ${drivers.node.name} node driver could not ${what}`, { retry: true });
  }
}

/** An answer and, when it comes from agents' reports, when the oldest of them was taken (null: asked now). */
export interface Known<T> {
  value: T;
  reportedAt: Date | null;
}

const oldest = (dates: Date[]) => (dates.length === 0 ? null : new Date(Math.min(...dates.map((d) => d.getTime()))));

export async function listMachines(ctx: NodesContext): Promise<Known<MachineSummary[]>> {
  if (everyCallAtAgents(ctx.config)) {
    const sites = await reportedMachines(ctx);
    return { value: sites.flatMap((s) => s.machines), reportedAt: oldest(sites.map((s) => s.taken)) };
  }
  return { value: await askDriver(ctx, 'list machines', (driverCtx) => ctx.drivers.node.listMachines(driverCtx)), reportedAt: null };
}

/** One machine (not in Drydock, whose clients list every machine to read one); 404 when the driver does not know it. */
export async function getMachine(ctx: NodesContext, hostname: string): Promise<Known<MachineSummary>> {
  if (everyCallAtAgents(ctx.config)) return reportedMachine(ctx, hostname);
  const { node } = ctx.drivers;
  const machine =
    hostname.length > MAX_HOSTNAME
      ? null
      : await askDriver(ctx, 'read a machine', async (driverCtx) =>
          node.getMachine
            ? node.getMachine(driverCtx, hostname)
            : ((await node.listMachines(driverCtx)).find((m) => m.hostname === hostname) ?? null),
        );
  if (!machine) throw new ApiError('NotFound', `Node ${hostname.slice(0, 64)} is not known to the ${node.name} node driver`);
  return { value: machine, reportedAt: null };
}

/** The machine from the first site (by name) whose agent reported it; 503 before any report, 404 when none has it. */
async function reportedMachine(ctx: NodesContext, hostname: string): Promise<Known<MachineSummary>> {
  const sites = await reportedMachines(ctx);
  for (const site of sites) {
    const machine = site.machines.find((m) => m.hostname === hostname);
    if (machine) return { value: machine, reportedAt: site.taken };
  }
  throw new ApiError('NotFound', `Node ${hostname.slice(0, 64)} is not in the inventory the site agents reported`);
}

/** A node's build data, newest first (with `latest`, the newest of each generator); 404 when it has none. */
export async function nodeBuildData(ctx: Pick<ServiceContext, 'db'>, hostname: string, latest: boolean): Promise<DrydockBuildData[]> {
  const records = await listNodeBuildData(ctx.db, hostname, latest);
  if (records.length === 0) throw new ApiError('NotFound', 'No build data found');
  return records;
}
