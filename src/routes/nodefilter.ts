import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { NodeFilterBody } from '../http/schemas/designs.ts';
import { validJson } from '../http/validate.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { selectDesignNodes } from '../services/nodefilter.ts';

export const nodeFilterRoutes = new Hono<AppEnv>();

/** POST /nodefilter: the names of the design's nodes a node filter selects. */
nodeFilterRoutes.post('/nodefilter', requirePolicy('physical_provisioner:read_data'), async (c) => {
  const body = await validJson(c, NodeFilterBody);
  return c.json(await selectDesignNodes(c.get('ctx'), body.design_ref, body.node_filter));
});
