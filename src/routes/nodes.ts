import { Hono, type Context } from 'hono';
import type { NodeDriver } from '../drivers/types.ts';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { listNodeBuildData } from '../services/builddata.ts';

export const nodeRoutes = new Hono<AppEnv>();

const MAX_HOSTNAME = 255;

type MachineContext = Parameters<NodeDriver['listMachines']>[0];

/** Runs a node driver read; a driver failure is 502, its own message (which can name internal endpoints) only logged. */
async function askDriver<T>(c: Context<AppEnv>, what: string, read: (ctx: MachineContext) => Promise<T>): Promise<T> {
  const { drivers, database, config, clock, fetch } = c.get('services');
  const log = c.get('log');
  try {
    return await read({ db: database.db, config, clock, fetch, logger: log });
  } catch (err) {
    if (err instanceof ApiError) throw err;
    log.error(`node driver failed to ${what}`, { driver: drivers.node.name, error: err instanceof Error ? err.message : String(err) });
    throw new ApiError('BadGateway', `The ${drivers.node.name} node driver could not ${what}`, { retry: true });
  }
}

/**
 * GET /nodes: the machines as the enabled node driver knows them. Drydock
 * asked MAAS directly whatever driver was configured; here it is whichever
 * node driver is enabled (the fake lab by default).
 */
nodeRoutes.get('/nodes', requirePolicy('physical_provisioner:read_data'), async (c) => {
  const { node } = c.get('services').drivers;
  return c.json(await askDriver(c, 'list machines', (ctx) => node.listMachines(ctx)));
});

/**
 * GET /nodes/{hostname}: one machine as the node driver knows it (not in
 * Drydock, whose clients list every machine to read one).
 */
nodeRoutes.get('/nodes/:hostname', requirePolicy('physical_provisioner:read_data'), async (c) => {
  const { node } = c.get('services').drivers;
  const hostname = c.req.param('hostname');
  const machine =
    hostname.length > MAX_HOSTNAME
      ? null
      : await askDriver(c, 'read a machine', async (ctx) =>
          node.getMachine ? node.getMachine(ctx, hostname) : ((await node.listMachines(ctx)).find((m) => m.hostname === hostname) ?? null),
        );
  if (!machine) throw new ApiError('NotFound', `Node ${hostname.slice(0, 64)} is not known to the ${node.name} node driver`);
  return c.json(machine);
});

/** GET /nodes/{hostname}/builddata[?latest=true]: newest first; 404 when the node has none. */
nodeRoutes.get('/nodes/:hostname/builddata', requirePolicy('physical_provisioner:read_build_data'), async (c) => {
  // Drydock's test: latest is true only when it reads TRUE in any case.
  const latest = (c.req.query('latest') ?? 'false').toUpperCase() === 'TRUE';
  const records = await listNodeBuildData(c.get('services').database.db, c.req.param('hostname'), latest);
  if (records.length === 0) throw new ApiError('NotFound', 'No build data found');
  return c.json(records);
});
