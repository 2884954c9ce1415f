import type { BaremetalNode } from '../model.ts';
import type { Rule } from './rule.ts';

const MAX_FQDN = 255;
/** Drydock's label rule: 1 to 63 letters, digits or hyphens (leading/trailing hyphens pass, as in Drydock). */
const VALID_LABEL = /^[a-z0-9-]{1,63}$/i;

/** Drydock's node FQDN: hostname, then the primary network's DNS domain or `local`. */
export function nodeFqdn(node: BaremetalNode): string {
  return `${node.name}.${node.domain || 'local'}`;
}

/**
 * Drydock's HostnameValidity (RFC 1035): a node's FQDN is at most 255
 * characters, and each of its labels 1 to 63 letters, digits or hyphens.
 * As Drydock, all length findings come before the label findings.
 */
export const hostnameValidity: Rule = {
  code: 'DD3003',
  longName: 'Hostname Validity',
  run(site, _ctx, report) {
    const nodes = [...site.nodes.values()].map((node) => ({ node, fqdn: nodeFqdn(node) }));
    for (const { node, fqdn } of nodes) {
      if (fqdn.length <= MAX_FQDN) continue;
      report.error(
        `FQDN ${fqdn} is invalid, greater than 255 characters.`,
        [node.doc],
        'RFC 1035 requires full DNS names to be < 256 characters.',
      );
    }
    for (const { node, fqdn } of nodes) {
      for (const label of fqdn.split('.')) {
        if (VALID_LABEL.test(label)) continue;
        report.error(
          `FQDN ${fqdn} is invalid - label '${label}' is invalid.`,
          [node.doc],
          'RFC 1035 requires each label in a DNS name to be <= 63 characters and contain only A-Z, a-z, 0-9, and hyphens.',
        );
      }
    }
  },
};
