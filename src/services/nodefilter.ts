/** POST /nodefilter: the names of a design's nodes that a node filter selects. */
import { effectiveSite } from '../design/site-design.ts';
import { NodeFilterError, parseNodeFilter, selectNodes } from '../design/filters.ts';
import type { ServiceContext } from './context.ts';

/** What is wrong with a node_filter as a client sent it; null when it is a valid filter (or absent). */
export function nodeFilterProblem(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  try {
    parseNodeFilter(raw);
    return null;
  } catch (err) {
    if (err instanceof NodeFilterError) return err.message;
    throw err;
  }
}

/** The nodes of the design at `designRef` that `nodeFilter` (checked by nodeFilterProblem) selects; every node without one. */
export async function selectDesignNodes(ctx: Pick<ServiceContext, 'siteDesign'>, designRef: string, nodeFilter: unknown): Promise<string[]> {
  const site = await effectiveSite(ctx.siteDesign, designRef);
  return selectNodes(site, nodeFilter === undefined || nodeFilter === null ? null : parseNodeFilter(nodeFilter));
}
