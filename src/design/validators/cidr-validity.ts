import { formatNetwork, hasHostBits, networkOf, parseNetwork } from './net/ip.ts';
import type { Rule } from './rule.ts';

/**
 * Drydock's CidrValidity: MAAS refuses a subnet whose CIDR has host bits set
 * (Python's strict `ip_network`), so each network must name its network address.
 *
 * Drydock bugs fixed: it recognised the host-bits case by comparing Python's
 * error text with the CIDR as written, so a non-canonical spelling
 * (`2001:DB8::1/64`, `10.0.0.1/255.255.255.0`) passed unreported; and it
 * silently accepted a CIDR that is not a network at all, which later crashed
 * its IP Locality Check. Both are errors here.
 */
export const cidrValidity: Rule = {
  code: 'DD2006',
  longName: 'CIDR Validity',
  run(site, _ctx, report) {
    if (site.networks.size === 0) {
      report.warn('No networks found.', [], 'Site design likely incomplete without defined networks');
      return;
    }
    for (const net of site.networks.values()) {
      const parsed = parseNetwork(net.cidr);
      if (!parsed) {
        report.error(
          `The provided CIDR ${net.cidr} is not a valid IPv4 or IPv6 network`,
          [net.doc],
          'Provide a CIDR as address/prefix length, e.g. 172.16.0.0/24',
        );
      } else if (hasHostBits(parsed)) {
        report.error(
          `The provided CIDR ${net.cidr} has host bits set`,
          [net.doc],
          `Provide a CIDR acceptable by MAAS: ${formatNetwork(networkOf(parsed))}`,
        );
      }
    }
  },
};
