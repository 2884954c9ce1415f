/**
 * The service-side design store: designs uploaded with POST /api/v1.0/designs
 * and referenced afterwards as design://<id>. It is how a design reaches a
 * Workers deployment, which has no file system for file:// refs.
 *
 * Storing is idempotent on content: the same bytes in the same format return
 * the design already stored (its id, creation time and creator) instead of a
 * second copy, so re-uploading a design from a pipeline does not grow the
 * table and yields a stable design:// ref. One conditional INSERT … WHERE NOT
 * EXISTS decides this, so concurrent uploads of one design agree on one id.
 *
 * Drydock's designs API (deprecated there) created empty SiteDesign objects
 * and took the documents in later "parts"; this store takes a whole design at
 * once, which is what design_ref resolution needs.
 */
import { desc, eq } from 'drizzle-orm';
import { designs } from '../db/schema/designs.ts';
import { ApiError } from '../core/errors.ts';
import { DESIGN_SUMMARY_COLUMNS as summary, storeDesignText, type DesignFormat, type StoreDesignInput, type StoredDesign } from '../design/store.ts';
import type { ServiceContext } from './context.ts';

export type { DesignFormat, StoreDesignInput, StoredDesign } from '../design/store.ts';

type DesignsContext = Pick<ServiceContext, 'db' | 'clock'> & { siteDesign: Pick<ServiceContext['siteDesign'], 'box'> };

export interface DesignSummary {
  designId: string;
  created: Date;
  createdBy: string | null;
  format: DesignFormat;
  /** SHA-256 hex of the UTF-8 bytes of the text. */
  contentHash: string;
  /** Bytes of the UTF-8 text. */
  size: number;
}

export interface DesignRecord extends DesignSummary {
  /** The design text exactly as stored (the table's column name). */
  documents: string;
}

export interface DesignUpload {
  /** The request body, already bounded by DESIGN_MAX_BYTES. */
  bytes: Uint8Array;
  /** From the upload's media type. */
  format: DesignFormat;
  createdBy: string | null;
}

/**
 * POST /designs: an uploaded design, stored once it is UTF-8 text that is not
 * empty, within the design limits, and YAML/JSON at all. Schema and design
 * rule problems are left to /validatedesign, which reports them all. The text
 * is read as any design is (off the main thread on Node and Deno), so no
 * upload can crash or stall the process.
 */
export async function storeUploadedDesign(ctx: Pick<ServiceContext, 'db' | 'clock' | 'siteDesign'>, upload: DesignUpload): Promise<StoredDesign> {
  const { format } = upload;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(upload.bytes);
  } catch {
    throw new ApiError('BadRequest', 'The design is not valid UTF-8 text');
  }
  if (text.trim() === '') throw new ApiError('BadRequest', 'The design is empty');
  const reading = await ctx.siteDesign.reader.read({ text, format, site: false });
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
  return storeDesign(ctx, { text, format, createdBy: upload.createdBy });
}

/** Stores a design (or finds the identical one); the caller has already applied DESIGN_MAX_BYTES. */
export async function storeDesign(ctx: DesignsContext, input: StoreDesignInput): Promise<StoredDesign> {
  if (input.text.trim() === '') throw new ApiError('BadRequest', 'The design is empty');
  return storeDesignText({ db: ctx.db, clock: ctx.clock, box: ctx.siteDesign.box }, input);
}

/** Every stored design without its text, newest first. */
export async function listDesigns(ctx: DesignsContext): Promise<DesignSummary[]> {
  return ctx.db.select(summary).from(designs).orderBy(desc(designs.created), desc(designs.designId));
}

export async function getDesign(ctx: DesignsContext, designId: string): Promise<DesignRecord> {
  const [row] = await ctx.db
    .select({ ...summary, documents: designs.documents })
    .from(designs)
    .where(eq(designs.designId, designId.toLowerCase()))
    .limit(1);
  if (!row) throw new ApiError('NotFound', `Design ${designId} not found`);
  return { ...row, documents: await ctx.siteDesign.box.open(row.documents) };
}
