/** design://<id> refs: a design stored in the service (POST /api/v1.0/designs). */
import { eq } from 'drizzle-orm';
import { designs } from '../../db/schema/designs.ts';
import { decodeDesign, refError, tooLarge, type DesignResolverDeps, type ResolveContext, type ResolvedDesign } from './types.ts';

const encoder = new TextEncoder();

export async function resolveStored(ctx: ResolveContext): Promise<ResolvedDesign> {
  const id = /^design:\/\/([^/?#]+)\/?$/i.exec(ctx.ref)?.[1];
  if (!id) throw refError(ctx.shown, 'expected design://<design id>');
  const [row] = await ctx.deps.db
    .select({ documents: designs.documents, format: designs.format })
    .from(designs)
    .where(eq(designs.designId, id.toLowerCase()))
    .limit(1);
  if (!row) throw refError(ctx.shown, 'no stored design has that id');
  // Stored designs passed the limit when they were uploaded, but it may have been lowered since.
  const bytes = encoder.encode(await ctx.deps.box.open(row.documents));
  if (bytes.byteLength > ctx.deps.maxBytes) throw refError(ctx.shown, tooLarge(ctx.deps.maxBytes));
  const contentType = row.format === 'json' ? 'application/json' : 'application/yaml';
  return { text: decodeDesign(ctx, bytes), contentType, ref: ctx.shown };
}

/**
 * The content hash of a design:// ref without its text: a caller holding the
 * compiled design of that content in its cache need not read (and hash) a
 * design of megabytes again. Null when the ref is not a readable stored
 * design; resolving it then says why.
 */
export async function peekStored(ref: string, deps: { db: DesignResolverDeps['db']; maxBytes: number }): Promise<string | null> {
  const id = /^design:\/\/([^/?#]+)\/?$/i.exec(ref.trim())?.[1];
  if (!id) return null;
  const [row] = await deps.db
    .select({ contentHash: designs.contentHash, size: designs.size })
    .from(designs)
    .where(eq(designs.designId, id.toLowerCase()))
    .limit(1);
  return row && row.size <= deps.maxBytes ? row.contentHash : null;
}
