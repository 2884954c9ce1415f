import type { Rule } from './rule.ts';

/**
 * Drydock's BootactionDefined: warn for each node no boot action targets.
 * Drydock registers it as DD4001, the code IpmiValidity also uses; we keep
 * the shared code for compatibility. One set of targeted names instead of
 * Drydock's list scan per node.
 */
export const bootactionDefined: Rule = {
  code: 'DD4001',
  longName: 'Bootaction Definition',
  run(site, _ctx, report) {
    const targeted = new Set<string>();
    for (const action of site.bootActions.values()) for (const n of action.targetNodes) targeted.add(n);
    for (const node of site.nodes.values()) {
      if (targeted.has(node.name)) continue;
      report.warn(
        `Node ${node.name} is not in scope for any bootactions.`,
        [node.doc],
        'It is expected all nodes have at least one post-deploy action.',
      );
    }
  },
};
