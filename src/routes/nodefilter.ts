import { Hono } from 'hono';
import { parseNodeFilter, selectNodes, NodeFilterError } from '../design/filters.ts';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { readJsonBody } from '../middleware/json-body.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { effectiveSite } from '../design/site-design.ts';

export const nodeFilterRoutes = new Hono<AppEnv>();

/** POST /nodefilter: the names of the design's nodes a node filter selects. */
nodeFilterRoutes.post('/nodefilter', requirePolicy('physical_provisioner:read_data'), async (c) => {
  const body = await readJsonBody(c);
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ApiError('BadRequest', 'Request body must be a JSON object with design_ref and an optional node_filter.');
  }
  const { design_ref: designRef, node_filter: rawFilter } = body as Record<string, unknown>;
  if (typeof designRef !== 'string' || designRef.trim() === '') {
    throw new ApiError('BadRequest', 'Missing input required value: design_ref');
  }
  let filter = null;
  if (rawFilter !== undefined && rawFilter !== null) {
    try {
      filter = parseNodeFilter(rawFilter);
    } catch (err) {
      if (err instanceof NodeFilterError) throw new ApiError('BadRequest', `Invalid node_filter: ${err.message}`);
      throw err;
    }
  }
  const site = await effectiveSite(c.get('services').siteDesign, designRef.trim());
  return c.json(selectNodes(site, filter));
});
