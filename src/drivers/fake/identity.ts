import type { BaremetalNode, SiteModel } from '../../design/model.ts';

/**
 * What a simulated machine looks like, derived only from the node model so
 * that every instance (and every test run) invents the same lab: no random
 * numbers, no clock.
 */

/** FNV-1a, 32 bits: small, stable and good enough to spread names. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const hex2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

/** A locally administered unicast MAC (02:…), so it never collides with a vendor's. */
export function derivedMac(key: string): string {
  const a = hash32(key);
  const b = hash32(key, 0x9e3779b9);
  return ['02', hex2(a >>> 24), hex2(a >>> 16), hex2(a >>> 8), hex2(a), hex2(b)].join(':');
}

export function bootMacOf(node: BaremetalNode): string {
  return node.bootMac ? node.bootMac.toLowerCase() : derivedMac(`${node.name}/boot`);
}

const MEMORY_MB = [65_536, 131_072, 196_608, 262_144, 393_216, 524_288];
const CPU_COUNTS = [16, 24, 32, 40, 48, 56, 64, 88];

/**
 * A count that agrees with the hardware profile where it says something:
 * the highest CPU named in its cpu sets decides, as on the real box.
 */
export function cpuCountOf(node: BaremetalNode, site: SiteModel): number {
  const hw = node.hardwareProfile ? site.hardwareProfiles.get(node.hardwareProfile) : undefined;
  let highest = -1;
  for (const list of Object.values(hw?.cpuSets ?? {})) {
    for (const n of list.match(/\d+/g) ?? []) highest = Math.max(highest, Number(n));
  }
  if (highest >= 0) return highest + 1;
  return CPU_COUNTS[hash32(`${node.name}/cpu`) % CPU_COUNTS.length] ?? 32;
}

const HUGEPAGE_MB: Record<string, number> = { K: 1 / 1024, M: 1, G: 1024, T: 1024 * 1024 };

/** Memory in MiB (MAAS's unit), at least twice what the profile's hugepages reserve. */
export function memoryMbOf(node: BaremetalNode, site: SiteModel): number {
  const hw = node.hardwareProfile ? site.hardwareProfiles.get(node.hardwareProfile) : undefined;
  let reserved = 0;
  for (const hp of Object.values(hw?.hugepages ?? {})) {
    const m = /^(\d+)\s*([KMGT])?/i.exec(hp.size);
    if (m) reserved += Number(m[1]) * (HUGEPAGE_MB[(m[2] ?? 'M').toUpperCase()] ?? 1) * hp.count;
  }
  let memory = MEMORY_MB[hash32(`${node.name}/memory`) % MEMORY_MB.length] ?? 131_072;
  while (memory < reserved * 2) memory *= 2;
  return memory;
}

const ipv4 = (text: string): number | null => {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
};
const ipv4Text = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/**
 * The network the machine PXE boots from: one named for PXE, else one with
 * a DHCP range (MAAS hands out boot leases there), else the first non-OOB one.
 */
function bootAssignment(node: BaremetalNode, site: SiteModel) {
  const candidates = node.addressing.filter((a) => a.network !== node.oob.network);
  return (
    candidates.find((a) => /pxe/i.test(a.network)) ??
    candidates.find((a) => site.networks.get(a.network)?.ranges.some((r) => r.type === 'dhcp')) ??
    candidates[0]
  );
}

export function bootNetworkOf(node: BaremetalNode, site: SiteModel): string | null {
  return bootAssignment(node, site)?.network ?? null;
}

/** The static address on the boot network, or a stable lease from its DHCP range. */
export function bootIpOf(node: BaremetalNode, site: SiteModel): string | null {
  const a = bootAssignment(node, site);
  if (!a) return null;
  if (a.type === 'static' && a.address) return a.address;
  const range = site.networks.get(a.network)?.ranges.find((r) => r.type === 'dhcp');
  if (!range) return null;
  const start = ipv4(range.start);
  const end = ipv4(range.end);
  if (start === null || end === null || end < start) return range.start;
  return ipv4Text(start + (hash32(`${node.name}/lease`) % (end - start + 1)));
}

/** MAAS's power_address: the BMC's address on the OOB network, or the libvirt URI for virsh. */
export function powerAddressOf(node: BaremetalNode): string | null {
  if (node.oob.type === 'libvirt') {
    const uri = node.oob.params['libvirt_uri'];
    return typeof uri === 'string' ? uri : null;
  }
  if (!node.oob.network) return null;
  return node.addressing.find((a) => a.network === node.oob.network)?.address ?? null;
}
