/**
 * The machines as the enabled node driver knows them (GET /nodes,
 * GET /nodes/{hostname}), and a node's build data. Drydock asked MAAS
 * directly whatever driver was configured; here it is whichever node driver
 * is enabled (the fake lab by default).
 */
import { ApiError } from '../core/errors.ts';
import type { MachineSummary, NodeDriver } from '../drivers/types.ts';
import { listNodeBuildData, type DrydockBuildData } from './builddata.ts';
import type { ServiceContext } from './context.ts';

type NodesContext = Pick<ServiceContext, 'db' | 'config' | 'clock' | 'fetch' | 'log' | 'drivers'>;
type MachineContext = Parameters<NodeDriver['listMachines']>[0];

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

export function listMachines(ctx: NodesContext): Promise<MachineSummary[]> {
  return askDriver(ctx, 'list machines', (driverCtx) => ctx.drivers.node.listMachines(driverCtx));
}

/** One machine (not in Drydock, whose clients list every machine to read one); 404 when the driver does not know it. */
export async function getMachine(ctx: NodesContext, hostname: string): Promise<MachineSummary> {
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
  return machine;
}

/** A node's build data, newest first (with `latest`, the newest of each generator); 404 when it has none. */
export async function nodeBuildData(ctx: Pick<ServiceContext, 'db'>, hostname: string, latest: boolean): Promise<DrydockBuildData[]> {
  const records = await listNodeBuildData(ctx.db, hostname, latest);
  if (records.length === 0) throw new ApiError('NotFound', 'No build data found');
  return records;
}
