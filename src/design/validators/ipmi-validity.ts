import type { Rule } from './rule.ts';

const REQUIRED = ['account', 'credential', 'network'] as const;

/**
 * Drydock's IpmiValidity: an IPMI node needs OOB credentials, an OOB network
 * and an address on that network. Drydock registers it as DD4001, the code
 * BootactionDefined also uses; we keep the shared code for compatibility.
 *
 * Drydock bug fixed: its "parameter missing" message formats a tuple and
 * raises TypeError instead of reporting, so a missing parameter crashed the
 * whole validation.
 */
export const ipmiValidity: Rule = {
  code: 'DD4001',
  longName: 'Valid IPMI Configuration',
  run(site, _ctx, report) {
    for (const node of site.nodes.values()) {
      if (node.oob.type !== 'ipmi') continue;
      for (const param of REQUIRED) {
        if (!node.oob[param]) {
          report.error(`OOB parameter ${param} for IPMI node ${node.name} missing.`, [node.doc], `Define OOB parameter ${param}`);
        }
      }
      // As Drydock: the last assignment on the OOB network wins; dhcp has no address.
      let address: string | null = null;
      const oobNetwork = node.oob.network;
      if (oobNetwork) {
        for (const a of node.addressing) if (a.network === oobNetwork) address = a.address;
      }
      if (!address) {
        report.error(`OOB address missing for IPMI node ${node.name}.`, [node.doc], 'Provide address to node OOB interface.');
      }
    }
  },
};
