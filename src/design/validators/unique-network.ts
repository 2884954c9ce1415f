import type { NetworkLink, SiteModel } from '../model.ts';
import type { Reporter, Rule } from './rule.ts';

/**
 * Drydock's UniqueNetworkCheck: a network is allowed on at most one network
 * link, and a node interface attaches only to networks its link allows.
 *
 * Drydock bugs fixed: it compared every pair of links' lists (quadratic in
 * links and networks); here one pass indexes networks by link, reporting the
 * same pairs in Drydock's order. Its duplicate messages named no documents;
 * here they name both links. An interface on an undefined link was reported
 * once per network it carries; here once.
 */
export const uniqueNetwork: Rule = {
  code: 'DD1007',
  longName: 'Allowed Network Check',
  run(site, _ctx, report) {
    reportSharedNetworks([...site.networkLinks.values()], report);
    checkInterfaces(site, report);
  },
};

interface Carrier {
  link: number;
  /** Position of the network in that link's allowed list. */
  position: number;
}

function reportSharedNetworks(links: NetworkLink[], report: Reporter): void {
  const carriers = new Map<string, Carrier[]>();
  const shared: Array<{ network: string; first: Carrier; second: number }> = [];
  links.forEach((link, index) => {
    const seen = new Set<string>();
    link.allowedNetworks.forEach((network, position) => {
      if (seen.has(network)) return;
      seen.add(network);
      const earlier = carriers.get(network) ?? [];
      for (const first of earlier) shared.push({ network, first, second: index });
      earlier.push({ link: index, position });
      carriers.set(network, earlier);
    });
  });
  // Drydock's order: by pair of links, then by the first link's list.
  shared.sort((a, b) => a.first.link - b.first.link || a.second - b.second || a.first.position - b.first.position);
  for (const { network, first, second } of shared) {
    const a = links[first.link];
    const b = links[second];
    if (!a || !b) continue;
    report.error(
      `Allowed network ${network} duplicated on NetworkLink ${a.name} and NetworkLink ${b.name}`,
      [a.doc, b.doc],
      'Each network is only allowed to cross a single network link.',
    );
  }
}

function checkInterfaces(site: SiteModel, report: Reporter): void {
  const allowed = new Map<string, Set<string>>();
  for (const link of site.networkLinks.values()) allowed.set(link.name, new Set(link.allowedNetworks));

  for (const node of site.nodes.values()) {
    for (const nic of node.interfaces) {
      if (nic.networks.length === 0) continue;
      const linkNetworks = nic.networkLink === null ? undefined : allowed.get(nic.networkLink);
      if (!linkNetworks) {
        report.error(
          `Interface ${nic.deviceName} connected to undefined network link ${nic.networkLink ?? 'None'}.`,
          [node.doc],
          'Define the network link attached to this interface.',
        );
        continue;
      }
      for (const network of nic.networks) {
        if (linkNetworks.has(network)) continue;
        report.error(
          `Interface ${nic.deviceName} attached to network ${network} not allowed on interface link`,
          [node.doc],
          'Interfaces can only be attached to networks allowed on the network link connected to the interface.',
        );
      }
    }
  }
}
