import type { SimState } from './state.ts';

/** An interface of the rack controller, with the address it has on a network MAAS discovered. */
export interface RackInterfaceSeed {
  name: string;
  cidr: string;
  /** The VLAN tag the network arrives with; 0 (untagged) by default. */
  vid?: number;
  ip: string;
}

export interface SimRackInterface { id: number; name: string; vlanId: number; subnetId: number; ip: string }

/**
 * A rack controller's interface as MAAS knows it after the rack registered:
 * an address on a network MAAS had not seen gets a new fabric, its VLAN and
 * a subnet (src/maasserver/models/node.py RackController update_interfaces →
 * Interface.update_ip_address / Subnet.objects.create_from_cidr in
 * models/interface.py and models/subnet.py).
 */
export function addRackInterface(st: SimState, seed: RackInterfaceSeed): SimRackInterface {
  const net = st.network;
  let subnet = net.subnets.find((s) => s.cidr === seed.cidr);
  if (!subnet) {
    const fabric = net.addFabric();
    const vid = seed.vid ?? 0;
    const vlan = vid === 0 ? net.vlans.find((v) => v.fabricId === fabric.id && v.vid === 0)! : net.addVlan(fabric.id, vid);
    subnet = { id: net.newId(), name: seed.cidr, cidr: seed.cidr, vlanId: vlan.id, gatewayIp: null, dnsServers: [],
      rdnsMode: 2, allowProxy: true, allowDns: true, managed: true };
    net.subnets.push(subnet);
  }
  const iface = { id: net.newId(), name: seed.name, vlanId: subnet.vlanId, subnetId: subnet.id, ip: seed.ip };
  st.rackInterfaces.push(iface);
  return iface;
}

/** The one healthy rack controller, with the services Drydock-like clients check (api/rackcontrollers.py fields). */
export function rackDoc(st: SimState): Record<string, unknown> {
  const net = st.network;
  return {
    system_id: 'rack01', hostname: 'rack01', fqdn: 'rack01.maas', node_type: 2, node_type_name: 'Rack controller',
    architecture: 'amd64/generic', power_type: 'manual', power_state: 'on',
    interface_set: st.rackInterfaces.map((i) => ({
      id: i.id, name: i.name, type: 'physical', enabled: true,
      vlan: net.vlanDoc(net.vlans.find((v) => v.id === i.vlanId)!),
      links: [{ id: i.id, mode: 'static', ip_address: i.ip, subnet: net.subnetDoc(net.subnets.find((s) => s.id === i.subnetId)!) }],
    })),
    ip_addresses: st.rackInterfaces.map((i) => i.ip),
    service_set: ['rackd', 'http', 'tftp', 'dhcpd', 'dhcpd6', 'ntp_rack', 'dns_rack', 'proxy_rack', 'syslog_rack']
      .map((name) => ({ name, status: name === 'dhcpd6' ? 'off' : 'running', status_info: '' })),
    version: '3.5.0', resource_uri: '/MAAS/api/2.0/rackcontrollers/rack01/',
  };
}
