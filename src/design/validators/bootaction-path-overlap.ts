import type { DocRef } from '../model.ts';
import type { Rule } from './rule.ts';

interface Overlap {
  first: string;
  second: string;
  path: string;
  docs: DocRef[];
  nodes: string[];
}

/** Keeps a message readable when whole racks overlap. */
const SHOWN = 10;
function listNodes(nodes: string[]): string {
  const more = nodes.length - SHOWN;
  return more > 0 ? `${nodes.slice(0, SHOWN).join(', ')} and ${more} more` : nodes.join(', ');
}

/**
 * Not in Drydock: two boot actions that write the same file or unit path on
 * the same node race each other, and which one the node keeps depends on the
 * order it unpacks them. Warn, naming both actions, the path and the nodes.
 * Linear in targeted (node, path) pairs: one map from node+path to the first
 * action that places it. Duplicates within one action are not reported here.
 */
export const bootactionPathOverlap: Rule = {
  code: 'DD4010',
  longName: 'Bootaction Path Overlap',
  run(site, _ctx, report) {
    const owner = new Map<string, string>();
    const overlaps = new Map<string, Overlap>();
    for (const action of site.bootActions.values()) {
      const paths = new Set<string>();
      for (const asset of action.assets) {
        if ((asset.type === 'file' || asset.type === 'unit') && asset.path) paths.add(asset.path);
      }
      for (const node of action.targetNodes) {
        for (const path of paths) {
          const key = `${node}\u0000${path}`;
          const first = owner.get(key);
          if (first === undefined) {
            owner.set(key, action.name);
            continue;
          }
          if (first === action.name) continue;
          const pairKey = `${first}\u0000${action.name}\u0000${path}`;
          let overlap = overlaps.get(pairKey);
          if (!overlap) {
            const firstDoc = site.bootActions.get(first)?.doc;
            const docs = firstDoc ? [firstDoc, action.doc] : [action.doc];
            overlap = { first, second: action.name, path, docs, nodes: [] };
            overlaps.set(pairKey, overlap);
          }
          overlap.nodes.push(node);
        }
      }
    }
    for (const o of overlaps.values()) {
      report.warn(
        `Bootactions ${o.first} and ${o.second} both place ${o.path} on node(s) ${listNodes(o.nodes)}.`,
        o.docs,
        'Only one asset can own a path on a node; change one path or narrow one node_filter so they do not overlap.',
      );
    }
  },
};
