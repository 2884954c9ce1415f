import type { Network, NetworkLink, SiteModel } from '../../design/model.ts';
import type { Progress } from '../types.ts';
import type { MaasClient } from './client.ts';
import { enableDhcp, type RackController } from './network-dhcp.ts';

// MAAS's fabric, VLAN and subnet documents as this driver reads them (networking.ts too).
export interface Vlan { id: number; fabric_id: number; vid: number; name?: string; mtu?: number }
export interface Fabric { id: number; name: string; vlans?: Vlan[] }
export interface Subnet { id: number; cidr: string; name?: string; vlan: Vlan; gateway_ip?: string | null }
interface IpRange { id: number; start_ip: string; end_ip: string }
interface StaticRoute { id: number; source: { id: number }; destination: { id: number } }

/** MAAS as it stands, read once; updated as the template changes it. */
interface Seen {
  fabrics: Fabric[];
  subnets: Subnet[];
  domains: Set<string>;
  ranges: IpRange[];
  racks: RackController[] | null;
}

const defaultGateway = (n: Network) => n.routes.find((r) => r.subnet === '0.0.0.0/0')?.gateway ?? null;
/** A network's MAAS subnet: the one with its CIDR (how the template matches them, and networking after it). */
export const subnetOf = (subnets: Subnet[], n: Pick<Network, 'cidr'>) => subnets.find((s) => s.cidr === n.cidr);
/** The fabric MAAS has for a network link: the template names it after the link. */
export const fabricOf = (fabrics: Fabric[], link: Pick<NetworkLink, 'name'>) => fabrics.find((f) => f.name === link.name);
const vidOf = (n: Network) => (n.vlanId === null ? 0 : Number(n.vlanId));

async function fabricFor(client: MaasClient, seen: Seen, link: NetworkLink, networks: Network[], problems: string[]): Promise<Fabric | null> {
  const found = new Set(networks.map((n) => subnetOf(seen.subnets, n)?.vlan.fabric_id).filter((id): id is number => id !== undefined));
  if (found.size > 1) {
    problems.push(`network link ${link.name}: its networks are on ${found.size} fabrics MAAS discovered; one link is one fabric`);
    return null;
  }
  if (found.size === 1) {
    const fabric = seen.fabrics.find((f) => f.id === [...found][0])!;
    if (fabric.name !== link.name) await client.json({ method: 'PUT', path: `fabrics/${fabric.id}/`, params: { name: link.name } });
    fabric.name = link.name;
    return fabric;
  }
  const named = fabricOf(seen.fabrics, link);
  if (named) return named;
  const created = await client.json<Fabric>({ method: 'POST', path: 'fabrics/', params: { name: link.name } });
  seen.fabrics.push(created);
  return created;
}

async function subnetFor(client: MaasClient, seen: Seen, fabric: Fabric, n: Network): Promise<Subnet> {
  const common = { name: n.name, dns_servers: n.dnsServers.join(' '), gateway_ip: defaultGateway(n) ?? '' };
  const existing = subnetOf(seen.subnets, n);
  if (existing) {
    await client.json({ method: 'PUT', path: `subnets/${existing.id}/`, params: common });
    const v = existing.vlan;
    await client.json({ method: 'PUT', path: `fabrics/${v.fabric_id}/vlans/${v.vid}/`, params: { name: n.name, vid: vidOf(n), mtu: n.mtu } });
    return existing;
  }
  const vlans = (await client.json<Vlan[]>({ method: 'GET', path: `fabrics/${fabric.id}/vlans/` })) ?? [];
  let vlan = vlans.find((v) => v.vid === vidOf(n));
  if (vlan) await client.json({ method: 'PUT', path: `fabrics/${fabric.id}/vlans/${vlan.vid}/`, params: { name: n.name, mtu: n.mtu } });
  else vlan = await client.json<Vlan>({ method: 'POST', path: `fabrics/${fabric.id}/vlans/`, params: { name: n.name, vid: vidOf(n), mtu: n.mtu } });
  const created = await client.json<Subnet>({ method: 'POST', path: 'subnets/', params: { ...common, cidr: n.cidr, vlan: vlan.id } });
  seen.subnets.push(created);
  return created;
}

async function addRanges(client: MaasClient, seen: Seen, subnet: Subnet, n: Network): Promise<boolean> {
  let dhcp = false;
  for (const range of n.ranges) {
    if (range.type !== 'reserved' && range.type !== 'dhcp') continue; // static ranges are what MAAS has left
    dhcp ||= range.type === 'dhcp';
    if (seen.ranges.some((r) => r.start_ip === range.start && r.end_ip === range.end)) continue;
    const type = range.type === 'dhcp' ? 'dynamic' : 'reserved';
    const made = await client.json<IpRange>({
      method: 'POST',
      path: 'ipranges/',
      params: { type, start_ip: range.start, end_ip: range.end, subnet: subnet.id, comment: 'Configured by Drydock' },
    });
    seen.ranges.push(made);
  }
  return dhcp;
}

/**
 * Each configured network's routes to other subnets as MAAS static routes. A
 * route to a `noconfig` network is left out: MAAS was told not to know that
 * subnet, so it has nothing to point the route at (Drydock reports it as a
 * missing destination, and crashes on a noconfig network's own routes).
 */
async function addRoutes(client: MaasClient, seen: Seen, networks: Network[], unconfigured: Set<string>, problems: string[]): Promise<string[]> {
  const skipped: string[] = [];
  const routes = (await client.json<StaticRoute[]>({ method: 'GET', path: 'static-routes/' })) ?? [];
  for (const n of networks) {
    const source = subnetOf(seen.subnets, n);
    if (!source) continue;
    for (const r of n.routes) {
      if (!r.subnet || r.subnet === '0.0.0.0/0') continue;
      if (unconfigured.has(r.subnet)) {
        skipped.push(`${n.name} to ${r.subnet}`);
        continue;
      }
      const dest = seen.subnets.find((s) => s.cidr === r.subnet);
      if (!dest) {
        problems.push(`network ${n.name}: no MAAS subnet for the destination of its static route to ${r.subnet}`);
        continue;
      }
      const old = routes.find((x) => x.source.id === source.id && x.destination.id === dest.id);
      if (old) await client.json({ method: 'DELETE', path: `static-routes/${old.id}/` });
      await client.json({ method: 'POST', path: 'static-routes/', params: { source: source.id, destination: dest.id, gateway_ip: r.gateway, metric: r.metric ?? 100 } });
    }
  }
  return skipped;
}

/**
 * Drydock's CreateNetworkTemplate: each network link a fabric (the one MAAS
 * discovered its networks on, renamed, else one by the link's name), its
 * native VLAN's MTU, each allowed network a VLAN and subnet with its DNS
 * domain, servers, gateway, reserved and DHCP ranges, DHCP on the VLAN from
 * a healthy rack controller on it (or relayed), then the static routes, and
 * a check that every network has its subnet. MAAS is read once up front;
 * Drydock reads the fabric, VLAN, range and route lists again for each change.
 */
export async function createNetworkTemplate(client: MaasClient, site: SiteModel): Promise<Progress> {
  const links = [...site.networkLinks.values()];
  if (links.length === 0) return { state: 'done', detail: 'the site design has no network links, no work to do' };
  const [fabrics, subnets, domains, ranges] = await Promise.all([
    client.json<Fabric[]>({ method: 'GET', path: 'fabrics/' }),
    client.json<Subnet[]>({ method: 'GET', path: 'subnets/' }),
    client.json<Array<{ name: string }>>({ method: 'GET', path: 'domains/' }),
    client.json<IpRange[]>({ method: 'GET', path: 'ipranges/' }),
  ]);
  const seen: Seen = { fabrics: fabrics ?? [], subnets: subnets ?? [], domains: new Set((domains ?? []).map((d) => d.name)), ranges: ranges ?? [], racks: null };
  const problems: string[] = [];
  const configured: Network[] = [];
  for (const link of links) {
    if ('noconfig' in link.labels) continue;
    const networks = link.allowedNetworks.map((name) => site.networks.get(name)).filter((n): n is Network => n !== undefined);
    for (const missing of link.allowedNetworks.filter((name) => !site.networks.has(name))) problems.push(`network ${missing} is allowed on link ${link.name} but not defined`);
    const fabric = await fabricFor(client, seen, link, networks, problems);
    if (!fabric) continue;
    if (link.mtu !== null) await client.json({ method: 'PUT', path: `fabrics/${fabric.id}/vlans/0/`, params: { mtu: link.mtu } });
    for (const n of networks) {
      if (n.dnsDomain && !seen.domains.has(n.dnsDomain)) {
        await client.json({ method: 'POST', path: 'domains/', params: { name: n.dnsDomain, authoritative: false } });
        seen.domains.add(n.dnsDomain);
      }
      const subnet = await subnetFor(client, seen, fabric, n);
      configured.push(n);
      if (await addRanges(client, seen, subnet, n)) {
        seen.racks ??= (await client.json<RackController[]>({ method: 'GET', path: 'rackcontrollers/' })) ?? [];
        const problem = await enableDhcp(client, seen.racks, subnet.vlan, n);
        if (problem) problems.push(problem);
      }
    }
  }
  const unconfigured = new Set([...site.networks.values()].filter((n) => 'noconfig' in n.labels).map((n) => n.cidr));
  const skipped = await addRoutes(client, seen, configured, unconfigured, problems);
  for (const n of site.networks.values()) {
    if ('noconfig' in n.labels) continue;
    if (!subnetOf(seen.subnets, n)) problems.push(`network ${n.name} is defined but has no MAAS subnet after the template (is it on a network link?)`);
  }
  if (problems.length > 0) return { state: 'failed', reason: problems.join('; ') };
  const notRouted = skipped.length > 0 ? `; no static route to noconfig networks (${skipped.join(', ')})` : '';
  return { state: 'done', detail: `${links.length} network link(s) and ${configured.length} network(s) in MAAS${notRouted}` };
}
