import { Hono } from 'hono';
import { API_PREFIX } from '../core/app-paths.ts';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { readRequestBody } from '../http/read-request-body.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { getDesign, listDesigns, storeUploadedDesign, type DesignFormat, type DesignSummary } from '../services/designs.ts';

export const designRoutes = new Hono<AppEnv>();

const YAML_TYPES = new Set(['application/x-yaml', 'application/yaml', 'text/yaml', 'text/x-yaml']);

function designFormat(contentType: string | undefined): DesignFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (YAML_TYPES.has(type)) return 'yaml';
  if (type === 'application/json') return 'json';
  throw new ApiError('UnsupportedMediaType', 'A design must be sent as application/x-yaml or as a JSON list of documents (application/json)');
}

const summaryOf = (d: Pick<DesignSummary, 'designId' | 'created' | 'contentHash' | 'size'>) => ({
  design_id: d.designId,
  href: `design://${d.designId}`,
  created: d.created.toISOString(),
  content_hash: d.contentHash,
  size: d.size,
});

/**
 * POST /designs stores a design so it can be referenced as design://<id>:
 * the way designs reach a Workers deployment, which has no file system.
 * A body that is not YAML/JSON at all, or over a design limit, is refused
 * (services/designs.ts storeUploadedDesign).
 */
designRoutes.post('/designs', requirePolicy('physical_provisioner:ingest_data'), async (c) => {
  const ctx = c.get('ctx');
  const format = designFormat(c.req.header('Content-Type'));
  const bytes = await readRequestBody(c, ctx.config.DESIGN_MAX_BYTES);
  const stored = await storeUploadedDesign(ctx, { bytes, format, createdBy: c.get('principal')?.user ?? null });
  return c.json(summaryOf(stored), 201, { Location: `${API_PREFIX}/designs/${stored.designId}` });
});

designRoutes.get('/designs', requirePolicy('physical_provisioner:read_data'), async (c) => {
  return c.json((await listDesigns(c.get('ctx'))).map(summaryOf));
});

/** The stored documents, byte for byte, in the format they were sent in. */
designRoutes.get('/designs/:id', requirePolicy('physical_provisioner:read_data'), async (c) => {
  const design = await getDesign(c.get('ctx'), c.req.param('id'));
  const type = design.format === 'json' ? 'application/json' : 'application/x-yaml';
  return c.body(design.documents, 200, { 'Content-Type': `${type}; charset=utf-8` });
});
