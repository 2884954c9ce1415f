/**
 * Fabrics, VLANs, subnets, IP ranges, static routes and domains, with the
 * JSON shapes of canonical/maas src/maasserver/api/{fabrics,vlans,subnets,
 * ipranges,staticroutes,domains}.py (DISPLAYED_*_FIELDS) and the examples in
 * src/maasserver/api/examples/*.json.
 */
export interface SimFabric { id: number; name: string; classType: string | null }
export interface SimVlan {
  id: number; fabricId: number; vid: number; name: string; mtu: number; dhcpOn: boolean;
  primaryRack: string | null; relayVlan: number | null;
}
export interface SimSubnet {
  id: number; name: string; cidr: string; vlanId: number; gatewayIp: string | null; dnsServers: string[];
  rdnsMode: number; allowProxy: boolean; allowDns: boolean; managed: boolean;
}
export interface SimIpRange { id: number; type: 'dynamic' | 'reserved'; startIp: string; endIp: string; subnetId: number; comment: string }
export interface SimStaticRoute { id: number; sourceId: number; destinationId: number; gatewayIp: string; metric: number }
export interface SimDomain { id: number; name: string; authoritative: boolean; ttl: number | null; isDefault: boolean }

export class Network {
  fabrics: SimFabric[] = [{ id: 0, name: 'fabric-0', classType: null }];
  // A new fabric gets its untagged VLAN; MAAS numbers VLAN ids from 5001.
  vlans: SimVlan[] = [{ id: 5001, fabricId: 0, vid: 0, name: 'untagged', mtu: 1500, dhcpOn: false, primaryRack: null,
    relayVlan: null }];
  subnets: SimSubnet[] = [];
  ipranges: SimIpRange[] = [];
  staticRoutes: SimStaticRoute[] = [];
  domains: SimDomain[] = [{ id: 0, name: 'maas', authoritative: true, ttl: null, isDefault: true }];
  private nextVlan = 5002;
  private nextId = 1;

  newId(): number {
    return this.nextId++;
  }

  addFabric(name?: string, classType: string | null = null): SimFabric {
    const id = Math.max(...this.fabrics.map((f) => f.id)) + 1;
    const fabric = { id, name: name || `fabric-${id}`, classType };
    this.fabrics.push(fabric);
    this.addVlan(id, 0, 'untagged');
    return fabric;
  }

  addVlan(fabricId: number, vid: number, name?: string): SimVlan {
    const vlan = { id: this.nextVlan++, fabricId, vid, name: name || String(vid), mtu: 1500, dhcpOn: false,
      primaryRack: null, relayVlan: null };
    this.vlans.push(vlan);
    return vlan;
  }

  defaultVlan(): SimVlan {
    return this.vlans[0]!;
  }

  vlanDoc(v: SimVlan): Record<string, unknown> {
    return {
      vid: v.vid, mtu: v.mtu, dhcp_on: v.dhcpOn, external_dhcp: null, relay_vlan: v.relayVlan,
      fabric: this.fabrics.find((f) => f.id === v.fabricId)?.name ?? null, fabric_id: v.fabricId,
      primary_rack: v.primaryRack, secondary_rack: null, space: 'undefined', id: v.id, name: v.name,
      resource_uri: `/MAAS/api/2.0/vlans/${v.id}/`,
    };
  }

  fabricDoc(f: SimFabric): Record<string, unknown> {
    return {
      class_type: f.classType, name: f.name, id: f.id,
      vlans: this.vlans.filter((v) => v.fabricId === f.id).map((v) => this.vlanDoc(v)),
      resource_uri: `/MAAS/api/2.0/fabrics/${f.id}/`,
    };
  }

  subnetDoc(s: SimSubnet): Record<string, unknown> {
    const vlan = this.vlans.find((v) => v.id === s.vlanId)!;
    return {
      name: s.name, vlan: this.vlanDoc(vlan), cidr: s.cidr, rdns_mode: s.rdnsMode, gateway_ip: s.gatewayIp,
      dns_servers: s.dnsServers, allow_dns: s.allowDns, allow_proxy: s.allowProxy, active_discovery: false,
      managed: s.managed, space: 'undefined', id: s.id, resource_uri: `/MAAS/api/2.0/subnets/${s.id}/`,
    };
  }

  iprangeDoc(r: SimIpRange): Record<string, unknown> {
    const subnet = this.subnets.find((s) => s.id === r.subnetId)!;
    return {
      subnet: this.subnetDoc(subnet), type: r.type, start_ip: r.startIp, end_ip: r.endIp,
      user: { is_superuser: true, username: 'admin', email: 'admin@example.com',
        resource_uri: '/MAAS/api/2.0/users/admin/' },
      comment: r.comment, id: r.id, resource_uri: `/MAAS/api/2.0/ipranges/${r.id}/`,
    };
  }

  staticRouteDoc(r: SimStaticRoute): Record<string, unknown> {
    const sub = (id: number) => this.subnetDoc(this.subnets.find((s) => s.id === id)!);
    return {
      source: sub(r.sourceId), destination: sub(r.destinationId), gateway_ip: r.gatewayIp, metric: r.metric,
      id: r.id, resource_uri: `/MAAS/api/2.0/static-routes/${r.id}/`,
    };
  }

  domainDoc(d: SimDomain, recordCount = 0): Record<string, unknown> {
    return {
      authoritative: d.authoritative, ttl: d.ttl, id: d.id, name: d.name, is_default: d.isDefault,
      resource_record_count: recordCount, resource_uri: `/MAAS/api/2.0/domains/${d.id}/`,
    };
  }
}
