/**
 * Design texts stored by content: what POST /api/v1.0/designs keeps (then
 * referenced as design://<id>) and what a task pins. One conditional
 * INSERT … WHERE NOT EXISTS per text, so concurrent stores of one content
 * agree on one id and re-uploads do not grow the table.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { designs } from '../db/schema/designs.ts';
import type { Db } from '../db/types.ts';
import { sha256Hex } from '../core/digest.ts';
import type { SecretBox } from '../core/secret-box.ts';

export interface DesignStoreContext {
  db: Db;
  clock: () => Date;
  /** Seals the text before it is written: designs hold BMC credentials. */
  box: SecretBox;
}

export type DesignFormat = 'yaml' | 'json';

export interface StoreDesignInput {
  text: string;
  format: DesignFormat;
  createdBy: string | null;
}

export interface StoredDesign {
  designId: string;
  created: Date;
  contentHash: string;
  size: number;
  /** True when identical content was already stored and that record is returned. */
  reused: boolean;
}

/** A stored design's columns without its text. */
export const DESIGN_SUMMARY_COLUMNS = {
  designId: designs.designId,
  created: designs.created,
  createdBy: designs.createdBy,
  format: designs.format,
  contentHash: designs.contentHash,
  size: designs.size,
};

/**
 * Stores a text once per content and format, as storeDesign without its
 * empty check: a task pins whatever text its design_ref gave.
 */
export async function storeDesignText(ctx: DesignStoreContext, input: StoreDesignInput): Promise<StoredDesign> {
  const bytes = new TextEncoder().encode(input.text);
  const contentHash = await sha256Hex(bytes);
  const designId = crypto.randomUUID();
  // The content hash is of the clear text, so identical uploads still share one row.
  const sealed = await ctx.box.seal(input.text);
  const sameContent = and(eq(designs.contentHash, contentHash), eq(designs.format, input.format));
  // Values in the column order of the designs table, which drizzle lists in the INSERT.
  await ctx.db.insert(designs).select(
    sql`select ${designId}, ${ctx.clock().getTime()}, ${input.createdBy}, ${input.format}, ${sealed}, ${contentHash}, ${bytes.byteLength}
        where not exists (select 1 from ${designs} where ${sameContent})`,
  );
  const [row] = await ctx.db
    .select(DESIGN_SUMMARY_COLUMNS)
    .from(designs)
    .where(sameContent)
    .orderBy(asc(designs.created), asc(designs.designId))
    .limit(1);
  if (!row) throw new Error('stored design vanished');
  return { designId: row.designId, created: row.created, contentHash, size: row.size, reused: row.designId !== designId };
}

/** The stored text with this content hash (the first stored, if several formats hold it). */
export async function designTextByHash(
  db: Db,
  box: SecretBox,
  contentHash: string,
): Promise<{ text: string; format: DesignFormat } | null> {
  const [row] = await db
    .select({ text: designs.documents, format: designs.format })
    .from(designs)
    .where(eq(designs.contentHash, contentHash))
    .orderBy(asc(designs.created), asc(designs.designId))
    .limit(1);
  return row ? { text: await box.open(row.text), format: row.format } : null;
}
