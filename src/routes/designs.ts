import { Hono } from 'hono';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { readBodyBytes } from '../middleware/json-body.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { getDesign, listDesigns, storeDesign } from '../services/designs.ts';
import { API_PREFIX } from '../core/app-paths.ts';

export const designRoutes = new Hono<AppEnv>();

const YAML_TYPES = new Set(['application/x-yaml', 'application/yaml', 'text/yaml', 'text/x-yaml']);

function designFormat(contentType: string | undefined): 'yaml' | 'json' {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (YAML_TYPES.has(type)) return 'yaml';
  if (type === 'application/json') return 'json';
  throw new ApiError('UnsupportedMediaType', 'A design must be sent as application/x-yaml or as a JSON list of documents (application/json)');
}

/**
 * POST /designs stores a design so it can be referenced as design://<id>:
 * the way designs reach a Workers deployment, which has no file system.
 * A body that is not YAML/JSON at all, or over a design limit, is refused
 * here; schema and design rule problems are left to /validatedesign, which
 * reports them all. The body is read as any design is (off the main thread
 * on Node and Deno), so no body can crash or stall the process.
 */
designRoutes.post('/designs', requirePolicy('physical_provisioner:ingest_data'), async (c) => {
  const { config, database, clock } = c.get('services');
  const format = designFormat(c.req.header('Content-Type'));
  const bytes = await readBodyBytes(c, config.DESIGN_MAX_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError('BadRequest', 'The design is not valid UTF-8 text');
  }
  if (text.trim() === '') throw new ApiError('BadRequest', 'The design is empty');
  const reading = await c.get('services').siteDesign.reader.read({ text, format, site: false });
  if (reading.limit) {
    throw new ApiError('BadRequest', reading.limit.message, {
      details: [{ message: reading.limit.message, error: true, limit: reading.limit.setting }],
    });
  }
  const syntax = reading.syntaxErrors;
  if (syntax.length > 0) {
    throw new ApiError('BadRequest', `The design is not valid ${format === 'yaml' ? 'YAML' : 'JSON'}`, {
      details: syntax.map((m) => ({ message: m.message, error: true })),
    });
  }
  const principal = c.get('principal');
  const stored = await storeDesign(
    { db: database.db, clock },
    { text, format, createdBy: principal?.user ?? null },
  );
  return c.json(
    {
      design_id: stored.designId,
      href: `design://${stored.designId}`,
      created: stored.created.toISOString(),
      content_hash: stored.contentHash,
      size: stored.size,
    },
    201,
    { Location: `${API_PREFIX}/designs/${stored.designId}` },
  );
});

designRoutes.get('/designs', requirePolicy('physical_provisioner:read_data'), async (c) => {
  const { database, clock } = c.get('services');
  const designs = await listDesigns({ db: database.db, clock });
  return c.json(
    designs.map((d) => ({
      design_id: d.designId,
      href: `design://${d.designId}`,
      created: d.created.toISOString(),
      content_hash: d.contentHash,
      size: d.size,
    })),
  );
});

/** The stored documents, byte for byte, in the format they were sent in. */
designRoutes.get('/designs/:id', requirePolicy('physical_provisioner:read_data'), async (c) => {
  const { database, clock } = c.get('services');
  const design = await getDesign({ db: database.db, clock }, c.req.param('id'));
  const type = design.format === 'json' ? 'application/json' : 'application/x-yaml';
  return c.body(design.documents, 200, { 'Content-Type': `${type}; charset=utf-8` });
});
