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
import {
  DESIGN_SUMMARY_COLUMNS as summary,
  storeDesignText,
  type DesignFormat,
  type DesignStoreContext,
  type StoreDesignInput,
  type StoredDesign,
} from '../design/store.ts';

export type { DesignFormat, DesignStoreContext, StoreDesignInput, StoredDesign } from '../design/store.ts';

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

/** Stores a design (or finds the identical one); the caller has already applied DESIGN_MAX_BYTES. */
export async function storeDesign(ctx: DesignStoreContext, input: StoreDesignInput): Promise<StoredDesign> {
  if (input.text.trim() === '') throw new ApiError('BadRequest', 'The design is empty');
  return storeDesignText(ctx, input);
}

/** Every stored design without its text, newest first. */
export async function listDesigns(ctx: DesignStoreContext): Promise<DesignSummary[]> {
  return ctx.db.select(summary).from(designs).orderBy(desc(designs.created), desc(designs.designId));
}

export async function getDesign(ctx: DesignStoreContext, designId: string): Promise<DesignRecord> {
  const [row] = await ctx.db
    .select({ ...summary, documents: designs.documents })
    .from(designs)
    .where(eq(designs.designId, designId.toLowerCase()))
    .limit(1);
  if (!row) throw new ApiError('NotFound', `Design ${designId} not found`);
  return row;
}
