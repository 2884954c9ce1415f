import type { Network } from '../model.ts';
import { formatNetwork, networkContains, parseIpAddress, parseNetwork, type IpNetwork } from './net/ip.ts';
import type { Reporter, Rule } from './rule.ts';

/**
 * Drydock's IpLocalityCheck: each route's gateway lies inside its network's
 * CIDR, and each static node address inside the CIDR of its network
 * (netaddr semantics: host bits in the CIDR are ignored, versions never mix).
 *
 * Drydock bugs fixed: a malformed CIDR, gateway or address (or a static
 * assignment without one) raised and aborted the whole validation; here a
 * malformed CIDR is left to CIDR Validity and the others are reported. Its
 * missing-gateway message printed the network's whole route list, and its
 * no-nodes diagnostic spoke of networks.
 */
export const ipLocality: Rule = {
  code: 'DD2002',
  longName: 'IP Locality Check',
  run(site, _ctx, report) {
    // Networks whose CIDR does not parse stay known (no "not a valid network")
    // but are not checked: CIDR Validity reports them.
    const cidrs = new Map<string, IpNetwork | null>();
    if (site.networks.size === 0) {
      report.warn('No networks found.', [], 'Site design likely incomplete without defined networks');
    }
    for (const net of site.networks.values()) {
      const cidr = parseNetwork(net.cidr);
      cidrs.set(net.name, cidr);
      if (cidr) checkRoutes(net, cidr, report);
    }

    if (site.nodes.size === 0) {
      report.warn('No baremetal_nodes found.', [], 'Site design likely incomplete without defined baremetal nodes.');
      return;
    }
    for (const node of site.nodes.values()) {
      for (const { network, type, address } of node.addressing) {
        if (type === 'dhcp') continue;
        if (!cidrs.has(network)) {
          report.error(`${network} is not a valid network.`, [node.doc], 'Define network or correct address definition.');
          continue;
        }
        const cidr = cidrs.get(network);
        if (!cidr) continue;
        const ip = address ? parseIpAddress(address) : null;
        if (!ip) {
          report.error(
            `The IP Address ${address ?? '(none)'} on network ${network} is not a valid IP address.`,
            [node.doc],
            'Define a valid address for this network.',
          );
        } else if (!networkContains(cidr, ip)) {
          report.error(
            `The IP Address ${address} is not within the defined CIDR: ${formatNetwork(cidr)} of ${network} .`,
            [node.doc],
            'Define a valid address for this network.',
          );
        }
      }
    }
  },
};

function checkRoutes(net: Network, cidr: IpNetwork, report: Reporter): void {
  for (const route of net.routes) {
    if (!route.gateway) {
      report.error(
        `No gateway found for route ${route.subnet}.`,
        [net.doc],
        'Define a network-local gateway for the route.',
      );
      continue;
    }
    const gateway = parseIpAddress(route.gateway);
    if (!gateway) {
      report.error(
        `The gateway IP Address ${route.gateway} of ${net.name} is not a valid IP address.`,
        [net.doc],
        'Define the route gateway as an IPv4 or IPv6 address on the local network.',
      );
    } else if (!networkContains(cidr, gateway)) {
      report.error(
        `The gateway IP Address ${route.gateway} is not within the defined CIDR: ${net.cidr} of ${net.name}.`,
        [net.doc],
        'Route gateways must reside on the local network. Check gateway IP and CIDR netmask.',
      );
    }
  }
}
