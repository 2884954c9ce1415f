import { json, text, validation, type MaasReply, type MaasRequest } from './http-util.ts';
import type { Handler, Route } from './router.ts';
import type { SimState } from './state.ts';

/**
 * fabrics/, fabrics/{id}/vlans/, vlans/{id}/, subnets/, ipranges/,
 * static-routes/, domains/ after canonical/maas src/maasserver/api/
 * {fabrics,vlans,subnets,ipranges,staticroutes,domains}.py and their forms:
 * create with POST, update with PUT (only the fields sent change), DELETE
 * answers 204, an unknown id 404 'No <Model> matches the given query.'
 */
const truthy = (v: string | null) => v !== null && ['true', '1', 'on', 'yes'].includes(v.toLowerCase());
const required = (r: MaasRequest, ...names: string[]) => {
  const missing = names.filter((n) => !r.form.get(n));
  return missing.length ? validation(Object.fromEntries(missing.map((n) => [n, ['This field is required.']]))) : null;
};

function crud<T extends { id: number }>(list: () => T[], model: string, doc: (x: T) => unknown,
  update: (r: MaasRequest, x: T) => MaasReply | null, find?: (p: string[]) => T | undefined): Record<string, Handler> {
  const lookup = (p: string[]) => (find ? find(p) : list().find((x) => String(x.id) === p[p.length - 1]));
  const notFound = text(404, `No ${model} matches the given query.`);
  return {
    GET: (_r, p) => {
      const x = lookup(p);
      return x ? json(doc(x)) : notFound;
    },
    PUT: (r, p) => {
      const x = lookup(p);
      if (!x) return notFound;
      return update(r, x) ?? json(doc(x));
    },
    DELETE: (_r, p) => {
      const x = lookup(p);
      if (!x) return notFound;
      list().splice(list().indexOf(x), 1);
      return { status: 204, body: '' };
    },
  };
}

export function networkRoutes(st: SimState): Route[] {
  const net = st.network;
  const vlanOf = (r: MaasRequest, fabricId: number | null) => {
    const v = r.form.get('vlan');
    if (v) return net.vlans.find((x) => String(x.id) === v);
    const fid = r.form.get('fabric') ?? (fabricId === null ? '0' : String(fabricId));
    const vid = Number(r.form.get('vid') ?? 0);
    return net.vlans.find((x) => String(x.fabricId) === fid && x.vid === vid);
  };
  const subnetByKey = (key: string) => net.subnets.find((s) => String(s.id) === key || s.cidr === key);

  const updateVlan = (r: MaasRequest, v: (typeof net.vlans)[number]): MaasReply | null => {
    const dhcp = r.form.get('dhcp_on');
    const rack = r.form.get('primary_rack') ?? v.primaryRack;
    if (truthy(dhcp) && !rack) {
      return validation({ dhcp_on: ['dhcp can only be turned on when a primary rack controller is set.'] });
    }
    if (r.form.get('name')) v.name = r.form.get('name')!;
    if (r.form.get('mtu')) v.mtu = Number(r.form.get('mtu'));
    if (dhcp !== null) v.dhcpOn = truthy(dhcp);
    v.primaryRack = rack;
    const relay = r.form.get('relay_vlan');
    if (relay !== null) v.relayVlan = relay ? Number(relay) : null;
    return null;
  };

  const updateSubnet = (r: MaasRequest, s: (typeof net.subnets)[number]): MaasReply | null => {
    const f = r.form;
    if (f.get('name')) s.name = f.get('name')!;
    if (f.get('gateway_ip') !== null) s.gatewayIp = f.get('gateway_ip') || null;
    if (f.get('dns_servers') !== null) s.dnsServers = f.getAll('dns_servers').flatMap((x) => x.split(/[ ,]+/)).filter(Boolean);
    if (f.get('rdns_mode') !== null) s.rdnsMode = Number(f.get('rdns_mode'));
    if (f.get('allow_proxy') !== null) s.allowProxy = truthy(f.get('allow_proxy'));
    if (f.get('managed') !== null) s.managed = truthy(f.get('managed'));
    if (f.get('vlan')) s.vlanId = Number(f.get('vlan'));
    return null;
  };

  return [
    { path: /^\/fabrics\/$/, ops: {
      GET: () => json(net.fabrics.map((f) => net.fabricDoc(f))),
      POST: (r) => json(net.fabricDoc(net.addFabric(r.form.get('name') ?? undefined, r.form.get('class_type')))),
    } },
    { path: /^\/fabrics\/(\d+)\/$/, ops: crud(() => net.fabrics, 'Fabric', (f) => net.fabricDoc(f), (r, f) => {
      if (r.form.get('name')) f.name = r.form.get('name')!;
      return null;
    }) },
    { path: /^\/fabrics\/(\d+)\/vlans\/$/, ops: {
      GET: (_r, p) => json(net.vlans.filter((v) => String(v.fabricId) === p[0]).map((v) => net.vlanDoc(v))),
      POST: (r, p) => {
        if (!net.fabrics.some((f) => String(f.id) === p[0])) return text(404, 'No Fabric matches the given query.');
        const bad = required(r, 'vid');
        if (bad) return bad;
        const vid = Number(r.form.get('vid'));
        if (net.vlans.some((v) => String(v.fabricId) === p[0] && v.vid === vid)) {
          return validation({ __all__: ['VLAN with this Fabric and Vid already exists.'] });
        }
        const v = net.addVlan(Number(p[0]), vid, r.form.get('name') ?? undefined);
        if (r.form.get('mtu')) v.mtu = Number(r.form.get('mtu'));
        return json(net.vlanDoc(v));
      },
    } },
    { path: /^\/fabrics\/(\d+)\/vlans\/(\d+)\/$/, ops: crud(() => net.vlans, 'VLAN', (v) => net.vlanDoc(v), updateVlan,
      // MAAS addresses a VLAN here by its fabric and 802.1Q vid, not by its id.
      (p) => net.vlans.find((v) => String(v.fabricId) === p[0] && String(v.vid) === p[1])) },
    { path: /^\/vlans\/(\d+)\/$/, ops: crud(() => net.vlans, 'VLAN', (v) => net.vlanDoc(v), updateVlan) },
    { path: /^\/subnets\/$/, ops: {
      GET: () => json(net.subnets.map((s) => net.subnetDoc(s))),
      POST: (r) => {
        const bad = required(r, 'cidr');
        if (bad) return bad;
        const vlan = vlanOf(r, null);
        if (!vlan) return validation({ vlan: ['Select a valid choice. That choice is not one of the available choices.'] });
        const cidr = r.form.get('cidr')!;
        if (net.subnets.some((s) => s.cidr === cidr)) return validation({ cidr: ['Subnet with this Cidr already exists.'] });
        const s = { id: net.newId(), name: r.form.get('name') || cidr, cidr, vlanId: vlan.id, gatewayIp: null,
          dnsServers: [], rdnsMode: 2, allowProxy: true, allowDns: true, managed: true };
        net.subnets.push(s);
        updateSubnet(r, s);
        return json(net.subnetDoc(s));
      },
    } },
    { path: /^\/subnets\/([.: \w-]+(?:\/\d\d?\d?)?)\/$/, ops: crud(() => net.subnets, 'Subnet', (s) => net.subnetDoc(s),
      updateSubnet, (p) => subnetByKey(p[0]!)) },
    { path: /^\/ipranges\/$/, ops: {
      GET: () => json(net.ipranges.map((x) => net.iprangeDoc(x))),
      POST: (r) => {
        const bad = required(r, 'type', 'start_ip', 'end_ip');
        if (bad) return bad;
        const subnet = subnetByKey(r.form.get('subnet') ?? '');
        if (!subnet) return validation({ subnet: ['Select a valid choice. That choice is not one of the available choices.'] });
        const x = { id: net.newId(), type: r.form.get('type') as 'dynamic' | 'reserved', startIp: r.form.get('start_ip')!,
          endIp: r.form.get('end_ip')!, subnetId: subnet.id, comment: r.form.get('comment') ?? '' };
        net.ipranges.push(x);
        return json(net.iprangeDoc(x));
      },
    } },
    { path: /^\/ipranges\/(\d+)\/$/, ops: crud(() => net.ipranges, 'IPRange', (x) => net.iprangeDoc(x), (r, x) => {
      x.startIp = r.form.get('start_ip') ?? x.startIp;
      x.endIp = r.form.get('end_ip') ?? x.endIp;
      x.comment = r.form.get('comment') ?? x.comment;
      return null;
    }) },
    { path: /^\/static-routes\/$/, ops: {
      GET: () => json(net.staticRoutes.map((x) => net.staticRouteDoc(x))),
      POST: (r) => {
        const bad = required(r, 'source', 'destination', 'gateway_ip');
        if (bad) return bad;
        const src = subnetByKey(r.form.get('source')!);
        const dst = subnetByKey(r.form.get('destination')!);
        if (!src || !dst) return validation({ [src ? 'destination' : 'source']: ['Select a valid choice.'] });
        const x = { id: net.newId(), sourceId: src.id, destinationId: dst.id, gatewayIp: r.form.get('gateway_ip')!,
          metric: Number(r.form.get('metric') ?? 0) };
        net.staticRoutes.push(x);
        return json(net.staticRouteDoc(x));
      },
    } },
    { path: /^\/static-routes\/(\d+)\/$/, ops: crud(() => net.staticRoutes, 'StaticRoute', (x) => net.staticRouteDoc(x),
      (r, x) => {
        x.gatewayIp = r.form.get('gateway_ip') ?? x.gatewayIp;
        if (r.form.get('metric') !== null) x.metric = Number(r.form.get('metric'));
        return null;
      }) },
    { path: /^\/domains\/$/, ops: {
      GET: () => json(net.domains.map((d) => net.domainDoc(d, st.machines.filter((m) => m.domainId === d.id).length))),
      POST: (r) => {
        const bad = required(r, 'name');
        if (bad) return bad;
        if (net.domains.some((d) => d.name === r.form.get('name'))) {
          return validation({ name: ['Domain with this Name already exists.'] });
        }
        const d = { id: net.newId(), name: r.form.get('name')!, authoritative: r.form.get('authoritative') === null
          || truthy(r.form.get('authoritative')), ttl: r.form.get('ttl') ? Number(r.form.get('ttl')) : null, isDefault: false };
        net.domains.push(d);
        return json(net.domainDoc(d));
      },
    } },
    { path: /^\/domains\/(\d+)\/$/, ops: crud(() => net.domains, 'Domain', (d) => net.domainDoc(d), (r, d) => {
      d.name = r.form.get('name') || d.name;
      if (r.form.get('authoritative') !== null) d.authoritative = truthy(r.form.get('authoritative'));
      if (r.form.get('ttl') !== null) d.ttl = r.form.get('ttl') ? Number(r.form.get('ttl')) : null;
      return null;
    }) },
  ];
}
