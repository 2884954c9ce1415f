import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import { readBsonDocument } from './bson.ts';
import type { MaasClient } from './client.ts';

/** The node's bond and interface slaves that its hardware profile names as device aliases, with their lshw businfo. */
function aliasedSlaves(node: BaremetalNode, site: SiteModel): Map<string, string> {
  const profile = node.hardwareProfile ? site.hardwareProfiles.get(node.hardwareProfile) : undefined;
  const out = new Map<string, string>();
  if (!profile) return out;
  for (const slave of node.interfaces.flatMap((i) => i.hardwareSlaves)) {
    const device = Object.hasOwn(profile.deviceAliases, slave) ? profile.deviceAliases[slave] : undefined;
    if (device?.address) out.set(slave, `${device.busType.toLowerCase()}@${device.address}`);
  }
  return out;
}

const tag = (block: string, name: string) => block.match(new RegExp(`<${name}>([^<]*)</${name}>`))?.[1]?.trim() ?? null;

/**
 * businfo -> kernel name of each network device in lshw's XML. Network
 * nodes are leaves in lshw's tree, so a flat scan of them is enough (the
 * Workers runtime has no XML parser). A logicalname with a path keeps its
 * last part, as Drydock's _apply_logicalname does.
 */
export function nicNamesByBusinfo(lshw: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const [, block] of lshw.matchAll(/<node\b[^>]*\bclass="network"[^>]*>([\s\S]*?)<\/node>/g)) {
    const businfo = tag(block!, 'businfo');
    const logical = tag(block!, 'logicalname');
    if (businfo && logical && !names.has(businfo)) names.set(businfo, logical.split('/').pop()!);
  }
  return names;
}

/**
 * Drydock's resolve_aliases + get_logicalname: each slave that is a
 * hardware profile alias, mapped to the kernel name MAAS's commissioning
 * lshw gives its bus address. One `op=details` read, only when the design
 * uses aliases; an alias lshw does not know stays as written.
 */
export async function resolveNicAliases(client: MaasClient, systemId: string, node: BaremetalNode, site: SiteModel): Promise<Map<string, string>> {
  const wanted = aliasedSlaves(node, site);
  const resolved = new Map<string, string>();
  if (wanted.size === 0) return resolved;
  const details = readBsonDocument(new Uint8Array(await client.bytes({ method: 'GET', path: `machines/${encodeURIComponent(systemId)}/`, op: 'details' })));
  const lshw = details['lshw'];
  const names = nicNamesByBusinfo(typeof lshw === 'string' ? lshw : lshw ? new TextDecoder().decode(lshw) : '');
  for (const [alias, businfo] of wanted) {
    const name = names.get(businfo);
    if (name) resolved.set(alias, name);
  }
  return resolved;
}
