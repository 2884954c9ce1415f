import type { DesignDocument } from '../document.ts';
import type { Network, NetworkLink, NetworkRoute } from '../model.ts';
import { docRef } from './messages.ts';
import { body, isBody, list, num, str, strList, strMap } from './values.ts';

/** Metadata labels overlaid with the body's `labels` (Drydock's metalabels). */
function labelsOf(doc: DesignDocument): Record<string, string> {
  return { ...doc.labels, ...strMap(doc.data.labels) };
}

/** `dns.servers` is one comma-separated string in the schema (Drydock splits it when it deploys). */
function dnsServers(value: unknown): string[] {
  if (Array.isArray(value)) return strList(value);
  const s = str(value);
  if (s === null) return [];
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

/**
 * Drydock's process_drydock_network. Two departures, both visible to readers:
 * a missing `dns.domain` stays null (Drydock stores `local`; the node domain
 * falls back to `local` where it is rendered), and a route without `subnet`
 * (a route-domain placeholder) gets subnet `''`, which readers skip as
 * Drydock's MAAS driver skips a falsy subnet.
 */
export function compileNetwork(doc: DesignDocument): Network {
  const d = doc.data;
  const dns = body(d.dns);
  const ranges = list(d.ranges).map((raw) => {
    const r = body(raw);
    return { type: str(r.type) ?? '', start: str(r.start) ?? '', end: str(r.end) ?? '' };
  });
  const routes = list(d.routes).map((raw): NetworkRoute => {
    const r = body(raw);
    return {
      subnet: str(r.subnet) ?? '',
      gateway: str(r.gateway) ?? '',
      metric: num(r.metric),
      routedomain: str(r.routedomain),
    };
  });
  const relay = isBody(d.dhcp_relay) ? d.dhcp_relay : null;
  return {
    name: doc.name,
    doc: docRef(doc),
    labels: labelsOf(doc),
    cidr: str(d.cidr) ?? '',
    vlanId: str(d.vlan),
    routedomain: str(d.routedomain),
    mtu: num(d.mtu),
    dnsDomain: str(dns.domain),
    dnsServers: dnsServers(dns.servers),
    ranges,
    routes,
    dhcpRelay: relay === null ? null : { selfIp: str(relay.self_ip), upstreamTarget: str(relay.upstream_target) },
  };
}

const BONDED = new Set(['802.3ad', 'active-backup', 'balance-rr']);

function bondingMode(value: unknown): NetworkLink['bondingMode'] {
  const s = str(value);
  return s !== null && BONDED.has(s) ? (s as NetworkLink['bondingMode']) : 'disabled';
}

/**
 * Drydock's process_drydock_networklink: bond timers only for bonded modes
 * (defaults 100/200/200 ms), hash and LACP rate only for 802.3ad (defaults
 * layer3+4 and fast). The schema does not enumerate modes; one the model
 * cannot hold reads as disabled (likewise trunking).
 */
export function compileNetworkLink(doc: DesignDocument): NetworkLink {
  const d = doc.data;
  const bonding = body(d.bonding);
  const mode = bondingMode(bonding.mode);
  const bonded = mode !== 'disabled';
  const lacp = mode === '802.3ad';
  const trunking = body(d.trunking);
  return {
    name: doc.name,
    doc: docRef(doc),
    labels: labelsOf(doc),
    bondingMode: mode,
    bondingXmitHash: lacp ? (str(bonding.hash) ?? 'layer3+4') : null,
    bondingPeerRate: lacp ? (str(bonding.peer_rate) ?? 'fast') : null,
    bondingMonRate: bonded ? (num(bonding.mon_rate) ?? 100) : null,
    bondingUpDelay: bonded ? (num(bonding.up_delay) ?? 200) : null,
    bondingDownDelay: bonded ? (num(bonding.down_delay) ?? 200) : null,
    mtu: num(d.mtu),
    linkspeed: str(d.linkspeed),
    trunkMode: str(trunking.mode) === '802.1q' ? '802.1q' : 'disabled',
    nativeNetwork: str(trunking.default_network),
    allowedNetworks: strList(d.allowed_networks),
  };
}
