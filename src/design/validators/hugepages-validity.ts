import type { Rule } from './rule.ts';

/**
 * DD1008: a node's kernel parameters give `hugepages` (the count) and
 * `hugepagesz` (the size) together or not at all; Drydock builds the kernel
 * command line from the pair.
 */
export const hugepagesValidity: Rule = {
  code: 'DD1008',
  longName: 'Hugepages',
  run(site, _ctx, report) {
    for (const node of site.nodes.values()) {
      const params = node.platform.kernelParams;
      if (Object.hasOwn(params, 'hugepages') !== Object.hasOwn(params, 'hugepagesz')) {
        report.error(
          'Invalid hugepages kernel configuration',
          [node.doc],
          'hugepages and hugepagesz must be specified together',
        );
      }
    }
  },
};
