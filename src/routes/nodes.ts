import { Hono } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../http/env.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { listNodeBuildData } from '../services/builddata.ts';

export const nodeRoutes = new Hono<AppEnv>();

/**
 * GET /nodes: the machines as the enabled node driver knows them. Drydock
 * asked MAAS directly whatever driver was configured; here it is whichever
 * node driver is enabled (the fake lab by default).
 */
nodeRoutes.get('/nodes', requirePolicy('physical_provisioner:read_data'), async (c) => {
  const { drivers, database, config, clock, fetch } = c.get('services');
  const log = c.get('log');
  try {
    return c.json(await drivers.node.listMachines({ db: database.db, config, clock, fetch, logger: log }));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // The driver's own message can name internal endpoints: it goes to the log only.
    log.error('node driver failed to list machines', {
      driver: drivers.node.name,
      error: err instanceof Error ? err.message : String(err),
    });
    throw new ApiError('BadGateway', `The ${drivers.node.name} node driver could not list machines`, { retry: true });
  }
});

/** GET /nodes/{hostname}/builddata[?latest=true]: newest first; 404 when the node has none. */
nodeRoutes.get('/nodes/:hostname/builddata', requirePolicy('physical_provisioner:read_build_data'), async (c) => {
  // Drydock's test: latest is true only when it reads TRUE in any case.
  const latest = (c.req.query('latest') ?? 'false').toUpperCase() === 'TRUE';
  const records = await listNodeBuildData(c.get('services').database.db, c.req.param('hostname'), latest);
  if (records.length === 0) throw new ApiError('NotFound', 'No build data found');
  return c.json(records);
});
