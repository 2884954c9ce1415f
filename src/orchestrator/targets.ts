import type { SiteModel } from '../design/model.ts';
import { NodeFilterError, parseNodeFilter, selectNodes } from '../design/filters.ts';
import { TaskFailure } from './failure.ts';

/** Drydock's get_target_nodes: the site's nodes the task's node_filter selects (all without one). */
export function targetNodes(site: SiteModel, nodeFilter: unknown): string[] {
  if (nodeFilter === null || nodeFilter === undefined) return [...site.nodes.keys()];
  try {
    return selectNodes(site, parseNodeFilter(nodeFilter));
  } catch (err) {
    if (!(err instanceof NodeFilterError)) throw err;
    const message = `Invalid node_filter: ${err.message}`;
    throw new TaskFailure(message, [{ message, error: true, context: 'NA', contextType: 'NA' }], 'Bad node filter.');
  }
}
