import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { NodeBuildDataQuery } from '../http/schemas/nodes.ts';
import { validQuery } from '../http/validate.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { getMachine, listMachines, nodeBuildData } from '../services/nodes.ts';

export const nodeRoutes = new Hono<AppEnv>();

/** GET /nodes: the machines as the enabled node driver knows them. */
nodeRoutes.get('/nodes', requirePolicy('physical_provisioner:read_data'), async (c) => {
  return c.json(await listMachines(c.get('ctx')));
});

/** GET /nodes/{hostname}: one machine as the node driver knows it. */
nodeRoutes.get('/nodes/:hostname', requirePolicy('physical_provisioner:read_data'), async (c) => {
  return c.json(await getMachine(c.get('ctx'), c.req.param('hostname')));
});

/** GET /nodes/{hostname}/builddata[?latest=true]: newest first; 404 when the node has none. */
nodeRoutes.get('/nodes/:hostname/builddata', requirePolicy('physical_provisioner:read_build_data'), async (c) => {
  const { latest } = validQuery(c, NodeBuildDataQuery);
  return c.json(await nodeBuildData(c.get('ctx'), c.req.param('hostname'), latest));
});
