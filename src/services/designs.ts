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
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { sha256Hex } from '../auth/digest.ts';
import { designs } from '../db/schema/designs.ts';
import type { Db } from '../db/types.ts';
import { ApiError } from '../errors.ts';

export interface DesignStoreContext {
  db: Db;
  clock: () => Date;
}

export type DesignFormat = 'yaml' | 'json';

export interface StoreDesignInput {
  text: string;
  format: DesignFormat;
  createdBy: string | null;
}

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

export interface StoredDesign {
  designId: string;
  created: Date;
  contentHash: string;
  size: number;
  /** True when identical content was already stored and that record is returned. */
  reused: boolean;
}

const summary = {
  designId: designs.designId,
  created: designs.created,
  createdBy: designs.createdBy,
  format: designs.format,
  contentHash: designs.contentHash,
  size: designs.size,
};

/** Stores a design (or finds the identical one); the caller has already applied DESIGN_MAX_BYTES. */
export async function storeDesign(ctx: DesignStoreContext, input: StoreDesignInput): Promise<StoredDesign> {
  if (input.text.trim() === '') throw new ApiError('BadRequest', 'The design is empty');
  return storeDesignText(ctx, input);
}

/**
 * Stores a text once per content and format, as storeDesign without its
 * empty check: a task pins whatever text its design_ref gave.
 */
export async function storeDesignText(ctx: DesignStoreContext, input: StoreDesignInput): Promise<StoredDesign> {
  const bytes = new TextEncoder().encode(input.text);
  const contentHash = await sha256Hex(bytes);
  const designId = crypto.randomUUID();
  const sameContent = and(eq(designs.contentHash, contentHash), eq(designs.format, input.format));
  // Values in the column order of the designs table, which drizzle lists in the INSERT.
  await ctx.db.insert(designs).select(
    sql`select ${designId}, ${ctx.clock().getTime()}, ${input.createdBy}, ${input.format}, ${input.text}, ${contentHash}, ${bytes.byteLength}
        where not exists (select 1 from ${designs} where ${sameContent})`,
  );
  const [row] = await ctx.db
    .select(summary)
    .from(designs)
    .where(sameContent)
    .orderBy(asc(designs.created), asc(designs.designId))
    .limit(1);
  if (!row) throw new Error('stored design vanished');
  return { designId: row.designId, created: row.created, contentHash, size: row.size, reused: row.designId !== designId };
}

/** The stored text with this content hash (the first stored, if several formats hold it). */
export async function designTextByHash(db: Db, contentHash: string): Promise<{ text: string; format: DesignFormat } | null> {
  const [row] = await db
    .select({ text: designs.documents, format: designs.format })
    .from(designs)
    .where(eq(designs.contentHash, contentHash))
    .orderBy(asc(designs.created), asc(designs.designId))
    .limit(1);
  return row ?? null;
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
