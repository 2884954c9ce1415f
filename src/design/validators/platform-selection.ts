import type { Rule } from './rule.ts';

const UNVERIFIABLE = 'Cannot validate platform selection without accessing the node provisioner.';

/**
 * Drydock's PlatformSelection: each node's image must be one the node driver
 * offers, and its kernel one offered for that image. Drydock asks MAAS; here
 * the catalogue comes from RuleContext.platforms. An empty catalogue means the
 * driver could not list any, and, as Drydock when it has no node driver or
 * the listing fails, the rule only warns.
 *
 * Fixed from Drydock: its warnings ran two words together ("imageand",
 * "skippingimage"), and an unset image or kernel printed as "None".
 */
export const platformSelection: Rule = {
  code: 'DD3001',
  longName: 'Platform Selection',
  run(site, ctx, report) {
    const { images, unavailable } = ctx.platforms;
    const imageNames = Object.keys(images);
    if (unavailable !== undefined) {
      report.warn(`Platform Validation: Could not load images from the node driver (${unavailable}), image and kernel selections not validated.`, [], UNVERIFIABLE);
      return;
    }
    if (imageNames.length === 0) {
      report.warn(
        'Platform Validation: No enabled node driver, image and kernel selections not validated.',
        [],
        UNVERIFIABLE,
      );
      return;
    }
    for (const node of site.nodes.values()) {
      const { image, kernel } = node.platform;
      const kernels = image !== null && Object.hasOwn(images, image) ? images[image] : undefined;
      if (!kernels) {
        report.error(
          `Platform Validation: invalid image ${image ?? '(not set)'}`,
          [node.doc],
          `Select a valid image from: ${imageNames.join(',')}`,
        );
      } else if (kernel === null || !kernels.includes(kernel)) {
        report.error(
          `Platform Validation: invalid kernel ${kernel ?? '(not set)'}`,
          [node.doc],
          `Select a valid kernel from: ${kernels.join(',')}`,
        );
      }
    }
  },
};
