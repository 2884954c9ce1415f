import type { Rule } from './rule.ts';

/**
 * Drydock's RationalNetworkBond: an unbonded link sets no bond options; an
 * LACP bond waits at least one monitor interval before marking a slave up or
 * down; hash policy and LACP rate belong to LACP only. Options count as set
 * when truthy, as in Drydock (a delay of 0 is "unset").
 *
 * Drydock bugs fixed: it tested for mode 'balanced-rr', which no link can
 * have (the mode is 'balance-rr'), so round-robin bonds were never checked;
 * its active-backup branch called a method the link object lacks and crashed;
 * and an LACP link without a delay or mon rate crashed comparing None. Here an
 * unset delay or mon rate is simply not compared.
 */
export const rationalNetworkBond: Rule = {
  code: 'DD1006',
  longName: 'Network Bond Rationality',
  run(site, _ctx, report) {
    for (const link of site.networkLinks.values()) {
      const mode = link.bondingMode;
      if (mode === 'disabled') {
        const options = [link.bondingPeerRate, link.bondingXmitHash, link.bondingMonRate, link.bondingUpDelay, link.bondingDownDelay];
        if (options.some(Boolean)) {
          report.error(
            'If bonding mode is disabled no other bond option can be specified',
            [link.doc],
            'Enable a bonding mode or remove the bond options.',
          );
        }
      } else if (mode === '802.3ad') {
        const monRate = link.bondingMonRate;
        if (monRate === null) continue;
        if (link.bondingUpDelay !== null && link.bondingUpDelay < monRate) {
          report.error(
            `Up delay ${link.bondingUpDelay} is less than mon rate ${monRate}`,
            [link.doc],
            'Link up delay must be equal or greater than the mon_rate',
          );
        }
        if (link.bondingDownDelay !== null && link.bondingDownDelay < monRate) {
          report.error(
            `Down delay ${link.bondingDownDelay} is less than mon rate ${monRate}`,
            [link.doc],
            'Link down delay must be equal or greater than the mon_rate',
          );
        }
      } else {
        if (link.bondingXmitHash) {
          report.error(`Hash cannot be defined if bond mode is ${mode}`, [link.doc], 'Hash mode is only applicable to LACP (802.3ad)');
        }
        if (link.bondingPeerRate) {
          report.error(
            `Peer rate cannot be defined if bond mode is ${mode}`,
            [link.doc],
            'Peer rate is only applicable to LACP (802.3ad)',
          );
        }
      }
    }
  },
};
