import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { NodeBuildDataQuery } from '../http/schemas/nodes.ts';
import { validQuery } from '../http/validate.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { getMachine, listMachines, nodeBuildData, type Known } from '../services/nodes.ts';

export const nodeRoutes = new Hono<AppEnv>();

/**
 * The body as Drydock's; an answer from site agents' reports says in a
 * header (which Drydock's clients ignore) when the oldest was taken.
 */
function knownJson<T>(c: Context<AppEnv>, known: Known<T>) {
  if (known.reportedAt) c.header('X-Drydock-Inventory-Taken', known.reportedAt.toISOString());
  return c.json(known.value);
}

/** GET /nodes: the machines as the enabled node driver (or the sites' agents) know them. */
nodeRoutes.get('/nodes', requirePolicy('physical_provisioner:read_data'), async (c) => {
  return knownJson(c, await listMachines(c.get('ctx')));
});

/** GET /nodes/{hostname}: one machine as the node driver (or its site's agent) knows it. */
nodeRoutes.get('/nodes/:hostname', requirePolicy('physical_provisioner:read_data'), async (c) => {
  return knownJson(c, await getMachine(c.get('ctx'), c.req.param('hostname')));
});

/** GET /nodes/{hostname}/builddata[?latest=true]: newest first; 404 when the node has none. */
nodeRoutes.get('/nodes/:hostname/builddata', requirePolicy('physical_provisioner:read_build_data'), async (c) => {
  const { latest } = validQuery(c, NodeBuildDataQuery);
  return c.json(await nodeBuildData(c.get('ctx'), c.req.param('hostname'), latest));
});
