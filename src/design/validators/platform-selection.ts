import type { SiteModel } from '../model.ts';
import type { Rule, RuleContext } from './rule.ts';

const UNVERIFIABLE = 'Cannot validate platform selection without accessing the node provisioner.';

type Catalogue = Pick<RuleContext['platforms'], 'images' | 'unavailable'>;

/** The images this design's nodes may use: the node driver's, or (site agents) those its own site's agent reported. */
function catalogueOf(site: SiteModel, platforms: RuleContext['platforms']): Catalogue {
  const { bySite } = platforms;
  if (!bySite) return platforms;
  const name = site.region?.name;
  if (name === undefined) return { images: {}, unavailable: 'the design names no Site, whose agent would report its images' };
  if (!Object.hasOwn(bySite, name)) return { images: {}, unavailable: `no inventory from an agent of site ${name} yet` };
  return { images: bySite[name]! };
}

/**
 * Drydock's PlatformSelection: each node's image must be one the node driver
 * offers, and its kernel one offered for that image. Drydock asks MAAS; here
 * the catalogue comes from RuleContext.platforms (at an edge whose calls run
 * at site agents, the design's own site's). An empty catalogue means the
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
    const { images, unavailable } = catalogueOf(site, ctx.platforms);
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
