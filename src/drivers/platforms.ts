import type { Config } from '../core/config.ts';
import type { RuleContext } from '../design/validators/rule.ts';

/**
 * The boot images and kernels the node driver offers, for Drydock's
 * Platform Selection rule (Drydock asks MAAS). The fake lab offers the
 * Ubuntu releases MAAS commonly syncs, each with its GA and HWE kernels.
 */
const FAKE_LAB_IMAGES: Record<string, string[]> = {
  xenial: ['ga-16.04', 'hwe-16.04', 'hwe-16.04-edge'],
  bionic: ['ga-18.04', 'hwe-18.04', 'hwe-18.04-edge'],
  focal: ['ga-20.04', 'hwe-20.04', 'hwe-20.04-edge'],
  jammy: ['ga-22.04', 'hwe-22.04', 'hwe-22.04-edge'],
};

export function platformCatalogue(config: Config): RuleContext['platforms'] {
  switch (config.NODE_DRIVER) {
    case 'fake':
      return { images: FAKE_LAB_IMAGES };
    case 'maas':
      // MAAS's boot resources are only known by asking it; until the catalogue is read
      // from MAAS, the rule warns that it could not check, as Drydock does when the listing fails.
      return { images: {} };
  }
}
