import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import type { MaasClient } from './client.ts';
import { commissioningLshw, logicalNameOf } from './lshw.ts';

/**
 * Drydock's resolve_aliases + get_logicalname for network devices: each
 * bond or interface slave that is a hardware profile alias, mapped to the
 * kernel name MAAS's commissioning lshw gives its bus address (lshw.ts).
 * One `op=details` read, only when the design uses aliases; an alias lshw
 * does not know stays as written.
 */
export async function resolveNicAliases(client: MaasClient, systemId: string, node: BaremetalNode, site: SiteModel): Promise<Map<string, string>> {
  const profile = node.hardwareProfile ? site.hardwareProfiles.get(node.hardwareProfile) : undefined;
  const resolved = new Map<string, string>();
  const aliases = node.interfaces.flatMap((i) => i.hardwareSlaves).filter((s) => profile && Object.hasOwn(profile.deviceAliases, s));
  if (!profile || aliases.length === 0) return resolved;
  const lshw = await commissioningLshw(client, systemId);
  if (!lshw) return resolved;
  for (const alias of aliases) {
    const device = profile.deviceAliases[alias]!;
    const name = device.address ? logicalNameOf(lshw, device.busType.toLowerCase(), device.address) : null;
    if (name) resolved.set(alias, name);
  }
  return resolved;
}
