import type { Network } from '../../design/model.ts';
import type { MaasClient } from './client.ts';

/** The rack controller fields DHCP placement reads (MAAS's rackcontrollers/ list). */
export interface RackController {
  system_id: string;
  hostname?: string;
  service_set?: Array<{ name?: string; status?: string }>;
  interface_set?: Array<{ vlan?: { id: number } | null; links?: Array<{ ip_address?: string | null }> }>;
}

const SERVICES = ['http', 'dhcpd', 'rackd', 'tftp'];
const healthy = (r: RackController) =>
  SERVICES.every((name) => ['running', 'off'].includes(r.service_set?.find((s) => s.name === name)?.status ?? ''));

/**
 * DHCP for a network with a dhcp range: relayed to the VLAN of the rack
 * interface that holds the relay's upstream target, or served on the VLAN
 * by the first healthy rack controller with an interface on it (Drydock's
 * order). Answers the problem, or null when DHCP is set.
 */
export async function enableDhcp(client: MaasClient, racks: RackController[], vlan: { id: number; fabric_id: number; vid: number }, n: Network): Promise<string | null> {
  const path = `fabrics/${vlan.fabric_id}/vlans/${vlan.vid}/`;
  const upstream = n.dhcpRelay?.upstreamTarget ?? null;
  for (const rack of racks.filter(healthy)) {
    if (upstream) {
      const iface = rack.interface_set?.find((i) => i.links?.some((l) => l.ip_address === upstream));
      if (!iface?.vlan) continue;
      await client.json({ method: 'PUT', path, params: { relay_vlan: iface.vlan.id } });
      return null;
    }
    if (rack.interface_set?.some((i) => i.vlan?.id === vlan.id)) {
      await client.json({ method: 'PUT', path, params: { dhcp_on: true, primary_rack: rack.system_id } });
      return null;
    }
  }
  return `network ${n.name} needs DHCP, but no healthy rack controller ${upstream ? `holds its relay target ${upstream}` : 'has an interface on its VLAN'}`;
}
