import type { BaremetalNode } from '../model.ts';
import { formatAddress, parseIpAddress } from './net/ip.ts';
import type { Rule } from './rule.ts';

/** One key per address however it is spelled; text that is no address keys as written. */
function addressKey(address: string): string {
  const ip = parseIpAddress(address);
  return ip ? formatAddress(ip) : address;
}

/**
 * Drydock's NoDuplicateIpsCheck: no static address is assigned twice, across
 * all nodes and networks. Each repeat is reported with the node that
 * assigned the address first.
 *
 * Drydock bug fixed: it compared addresses as strings, so `2001:db8::1` and
 * `2001:DB8:0::1` (one address) were not seen as duplicates.
 */
export const noDuplicateIps: Rule = {
  code: 'DD2005',
  longName: 'Duplicated IP Check',
  run(site, _ctx, report) {
    if (site.nodes.size === 0) {
      report.warn('No BaremetalNodes Found.', [], 'Site design unlikely complete with no defined baremetal nodes.');
      return;
    }
    const firstOwner = new Map<string, BaremetalNode>();
    for (const node of site.nodes.values()) {
      for (const { address } of node.addressing) {
        if (address === null) continue;
        const key = addressKey(address);
        const owner = firstOwner.get(key);
        if (owner) {
          // Drydock's text, trailing space included.
          report.error(`Duplicate IP Address Found: ${address} `, [node.doc, owner.doc], 'Select unique IP addresses for each node.');
        } else {
          firstOwner.set(key, node);
        }
      }
    }
  },
};
