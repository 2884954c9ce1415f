import type { Rule } from './rule.ts';

/**
 * Drydock's NetworkTrunkingRational: an untrunked link carries exactly one
 * network, its native network, and that network must be untagged. The long
 * name keeps Drydock's spelling ("Rationalty"), which clients may match on.
 *
 * Drydock bug fixed: a native network missing from the design made its
 * lookup raise and aborted the whole validation; here it is reported.
 */
export const networkTrunkingRational: Rule = {
  code: 'DD2004',
  longName: 'Network Trunking Rationalty',
  run(site, _ctx, report) {
    for (const link of site.networkLinks.values()) {
      if (link.trunkMode !== 'disabled') continue;
      if (link.allowedNetworks.length > 1) {
        // Drydock's text, missing space included.
        report.error(
          'If there is more than 1 allowed network,trunking mode must be enabled',
          [link.doc],
          'Reduce the allowed network list to 1 or enable trunking on the link.',
        );
      }
      if (link.nativeNetwork === null) {
        report.error(
          'Trunking mode is disabled, a trunking default_network must be defined',
          [link.doc],
          'Non-trunked links must have a native network defined.',
        );
        continue;
      }
      const native = site.networks.get(link.nativeNetwork);
      if (!native) {
        report.error(
          `Network link native network ${link.nativeNetwork} is not defined.`,
          [link.doc],
          'Define the network or correct the default_network of the link.',
        );
      } else if (native.vlanId) {
        report.error(
          'Network link native network has a defined VLAN tag.',
          [native.doc, link.doc],
          'Tagged network not allowed on non-trunked network links.',
        );
      }
    }
  },
};
