import type { BaremetalNode, HostInterface, NetworkLink, SiteModel } from '../../design/model.ts';
import { fabricOf, subnetOf, type Fabric, type Subnet, type Vlan } from './network-template.ts';

/** An interface of MAAS's machine document (`interface_set`), the fields read here. */
export interface MaasInterface {
  id: number;
  name: string;
  type: string;
  vlan: Vlan | null;
  effective_mtu?: number;
  links?: Array<{ id: number; mode: string; subnet?: { id: number } }>;
}

/** One network on a design interface: its subnet, linked on the interface or on a VLAN interface above it. */
export interface SubnetLink {
  network: string;
  subnet: Subnet;
  /** The tagged VLAN of a VLAN interface to create; null: the link goes on the interface itself. */
  tagged: Vlan | null;
  mtu: number | null;
  mode: 'static' | 'dhcp' | 'link_up';
  ipAddress: string | null;
  defaultGateway: boolean;
}

export interface InterfacePlan {
  design: HostInterface;
  link: NetworkLink;
  /** The VLAN the interface (and a bond's slaves) sit on: the native network's, else the fabric's untagged one. */
  vlan: Vlan;
  bond: boolean;
  slaves: MaasInterface[];
  links: SubnetLink[];
}

export interface NetworkPlan {
  interfaces: InterfacePlan[];
  problems: string[];
}

/**
 * The names a node's slaves go by in MAAS: a hardware profile alias becomes
 * the kernel name lshw gives its bus address (`aliases`, Drydock's
 * get_logicalname), any other name stays.
 */
export function slaveName(name: string, aliases: ReadonlyMap<string, string>): string {
  return aliases.get(name) ?? name;
}

function addressing(node: BaremetalNode, network: string): Pick<SubnetLink, 'mode' | 'ipAddress'> | string {
  const a = node.addressing.find((x) => x.network === network);
  if (!a) return { mode: 'link_up', ipAddress: null }; // Drydock: no address, a layer-2 link
  if (a.type === 'dhcp') return { mode: 'dhcp', ipAddress: null };
  return a.address ? { mode: 'static', ipAddress: a.address } : `network ${network} is addressed static without an address`;
}

function planInterface(node: BaremetalNode, site: SiteModel, iface: HostInterface, link: NetworkLink, maas: MaasView, problems: string[]): InterfacePlan | null {
  const at = `node ${node.name}: interface ${iface.deviceName}`;
  const count = problems.length;
  const fabric = fabricOf(maas.fabrics, link);
  if (!fabric) problems.push(`${at}: MAAS has no fabric for network link ${link.name} (create_network_template makes it)`);
  const bond = link.bondingMode !== 'disabled';
  if (bond && iface.hardwareSlaves.length < 1) problems.push(`${at}: network link ${link.name} bonds, and the interface has no slaves`);
  if (!bond && iface.hardwareSlaves.length !== 1) {
    problems.push(`${at}: network link ${link.name} does not bond, so the interface needs exactly one slave (it has ${iface.hardwareSlaves.length})`);
  }
  const physical = maas.interfaces.filter((i) => i.type === 'physical');
  const slaves = iface.hardwareSlaves.map((s) => {
    const name = slaveName(s, maas.aliases);
    const found = physical.find((i) => i.name === name);
    const alias = name === s ? '' : ` (hardware alias ${s})`;
    if (!found) problems.push(`${at}: device ${name}${alias} is not an interface of MAAS machine ${maas.systemId} (it has ${physical.map((i) => i.name).join(', ') || 'none'})`);
    return found;
  });
  if (!fabric) return null;
  const native = link.nativeNetwork ? site.networks.get(link.nativeNetwork) : undefined;
  const nativeSubnet = native ? subnetOf(maas.subnets, native) : undefined;
  const vlan = nativeSubnet?.vlan.fabric_id === fabric.id ? nativeSubnet.vlan : fabric.vlans?.find((v) => v.vid === 0);
  if (!vlan) problems.push(`${at}: fabric ${fabric.name} in MAAS has no untagged VLAN`);
  const links: SubnetLink[] = [];
  for (const name of iface.networks) {
    const network = site.networks.get(name);
    const subnet = network ? subnetOf(maas.subnets, network) : undefined;
    if (!network || !subnet) {
      problems.push(`${at}: network ${name}${network ? ` (${network.cidr})` : ''} has no MAAS subnet${network ? ' (create_network_template makes it)' : ', nor a definition in the design'}`);
      continue;
    }
    if (subnet.vlan.fabric_id !== fabric.id) {
      problems.push(`${at}: the MAAS subnet of network ${name} is on fabric ${subnet.vlan.fabric_id}, not on ${fabric.name} of network link ${link.name}`);
      continue;
    }
    const tagged = vlan && subnet.vlan.id !== vlan.id ? subnet.vlan : null;
    if (tagged && tagged.vid === 0) problems.push(`${at}: network ${name} is untagged, and ${link.nativeNetwork ?? 'another network'} is native on link ${link.name}`);
    const address = addressing(node, name);
    if (typeof address === 'string') {
      problems.push(`${at}: ${address}`);
      continue;
    }
    // MAAS takes default_gateway with AUTO and STATIC links only, from a subnet that has a gateway.
    const defaultGateway = name === node.primaryNetwork && address.mode === 'static' && !!subnet.gateway_ip;
    links.push({ network: name, subnet, tagged, mtu: network.mtu, ...address, defaultGateway });
  }
  if (problems.length > count || !vlan) return null;
  return { design: iface, link, vlan, bond, slaves: slaves as MaasInterface[], links };
}

/** What MAAS holds for the plan: one read of each, before any change. */
export interface MaasView {
  systemId: string;
  interfaces: MaasInterface[];
  fabrics: Fabric[];
  subnets: Subnet[];
  aliases: ReadonlyMap<string, string>;
}

/**
 * Drydock's ApplyNodeNetworking as a plan checked in full before MAAS is
 * changed: each design interface on a network link (not `noconfig`) is a
 * bond of its slaves or its one physical NIC, on its link's fabric; each of
 * its networks a subnet link, on a VLAN interface when the network's VLAN
 * is not the interface's own (the link's native network).
 */
export function planNetworking(node: BaremetalNode, site: SiteModel, maas: MaasView): NetworkPlan {
  const problems: string[] = [];
  const interfaces: InterfacePlan[] = [];
  for (const iface of node.interfaces) {
    if (!iface.networkLink) continue;
    const link = site.networkLinks.get(iface.networkLink);
    if (!link) {
      problems.push(`node ${node.name}: interface ${iface.deviceName}: network link ${iface.networkLink} is not in the design`);
      continue;
    }
    if ('noconfig' in link.labels) continue;
    const plan = planInterface(node, site, iface, link, maas, problems);
    if (plan) interfaces.push(plan);
  }
  return { interfaces, problems };
}
