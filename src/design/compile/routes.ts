import type { Network } from '../model.ts';

/**
 * Drydock's render_route_domains. Networks are grouped by their
 * `routedomain`. Then, for each domain in first-seen order, every network
 * (member or not) whose routes include one naming that domain gets, using
 * the first such route's gateway and metric, one explicit route to each
 * domain member's cidr other than its own. As in Drydock, a domain route
 * needs both a gateway and a metric to render anything. The written routes
 * stay; rendered ones carry no routedomain.
 */
export function renderRouteDomains(networks: Map<string, Network>): void {
  const domains = new Map<string, string[]>();
  for (const n of networks.values()) {
    if (n.routedomain === null) continue;
    let cidrs = domains.get(n.routedomain);
    if (cidrs === undefined) domains.set(n.routedomain, (cidrs = []));
    cidrs.push(n.cidr);
  }
  for (const [domain, cidrs] of domains) {
    for (const n of networks.values()) {
      const via = n.routes.find((r) => r.routedomain === domain);
      if (via === undefined || via.gateway === '' || via.metric === null) continue;
      for (const cidr of cidrs) {
        if (cidr === n.cidr) continue;
        n.routes.push({ subnet: cidr, gateway: via.gateway, metric: via.metric, routedomain: null });
      }
    }
  }
}
