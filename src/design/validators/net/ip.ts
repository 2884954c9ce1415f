/**
 * IPv4/IPv6 addresses and networks for the design rules, with the parsing
 * rules of Python's `ipaddress` (Drydock's cidr_validity) and the containment
 * semantics of `netaddr` (its ip_locality_check). Pure JS so it runs in workerd.
 *
 * Differences from Python, on purpose: IPv6 scope ids (`fe80::1%eth0`) are
 * rejected, and IPv6 addresses always format in hex (Python 3.13 writes
 * IPv4-mapped addresses as `::ffff:1.2.3.4`; earlier versions in hex).
 */

export type IpVersion = 4 | 6;

export interface IpAddress {
  version: IpVersion;
  value: bigint;
}

/** A network as written: `address` keeps any host bits (netaddr's IPNetwork). */
export interface IpNetwork {
  version: IpVersion;
  address: bigint;
  prefix: number;
}

const BITS: Record<IpVersion, number> = { 4: 32, 6: 128 };
const allOnes = (version: IpVersion) => (1n << BigInt(BITS[version])) - 1n;

/** Dotted quad as Python >= 3.9.5: four decimal octets, no leading zeros. */
export function parseIpv4(text: string): bigint | null {
  const octets = text.split('.');
  if (octets.length !== 4) return null;
  let value = 0;
  for (const octet of octets) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(octet)) return null;
    const n = Number(octet);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return BigInt(value);
}

function parseHextet(part: string): bigint | null {
  return /^[0-9a-fA-F]{1,4}$/.test(part) ? BigInt(`0x${part}`) : null;
}

/**
 * RFC 4291 text form, checked as Python's IPv6Address: at most one `::`,
 * which must stand for at least one group; an optional dotted-quad tail.
 */
export function parseIpv6(text: string): bigint | null {
  const parts = text.split(':');
  if (parts.length < 3) return null;
  const last = parts[parts.length - 1] ?? '';
  if (last.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 === null) return null;
    parts.splice(parts.length - 1, 1, ((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
  }
  if (parts.length > 9) return null;

  let skip: number | null = null;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] !== '') continue;
    if (skip !== null) return null;
    skip = i;
  }
  let hi = parts.length;
  let lo = 0;
  let skipped = 0;
  if (skip !== null) {
    hi = skip;
    lo = parts.length - skip - 1;
    if (parts[0] === '' && --hi !== 0) return null;
    if (parts[parts.length - 1] === '' && --lo !== 0) return null;
    skipped = 8 - (hi + lo);
    if (skipped < 1) return null;
  } else if (parts.length !== 8 || parts[0] === '' || parts[7] === '') {
    return null;
  }

  let value = 0n;
  const groups = [...parts.slice(0, hi), ...Array<string>(skipped).fill('0'), ...parts.slice(parts.length - lo)];
  for (const group of groups) {
    const n = parseHextet(group);
    if (n === null) return null;
    value = (value << 16n) | n;
  }
  return value;
}

export function parseIpAddress(text: string): IpAddress | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIpv6(text);
  if (v6 !== null) return { version: 6, value: v6 };
  return null;
}

/** Prefix length from an IPv4 netmask (`255.255.255.0`) or hostmask (`0.0.0.255`), as Python. */
function prefixFromMask(mask: bigint): number | null {
  for (const candidate of [mask, mask ^ allOnes(4)]) {
    const zeros = candidate === 0n ? 32 : trailingZeros(candidate);
    const prefix = 32 - zeros;
    if (candidate === ((allOnes(4) << BigInt(zeros)) & allOnes(4))) return prefix;
  }
  return null;
}

function trailingZeros(n: bigint): number {
  let count = 0;
  while ((n & 1n) === 0n && count < 32) {
    n >>= 1n;
    count++;
  }
  return count;
}

/**
 * `address[/prefix]`, host bits allowed (Python's strict=False, netaddr's
 * IPNetwork). No prefix means a single host. IPv4 also takes a netmask.
 */
export function parseNetwork(text: string): IpNetwork | null {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const maskText = slash < 0 ? null : text.slice(slash + 1);
  const address = parseIpAddress(addressText);
  if (!address) return null;
  const bits = BITS[address.version];
  if (maskText === null) return { version: address.version, address: address.value, prefix: bits };
  if (/^[0-9]+$/.test(maskText)) {
    const prefix = Number(maskText);
    return prefix <= bits ? { version: address.version, address: address.value, prefix } : null;
  }
  if (address.version === 4) {
    const mask = parseIpv4(maskText);
    const prefix = mask === null ? null : prefixFromMask(mask);
    if (prefix !== null) return { version: 4, address: address.value, prefix };
  }
  return null;
}

function netmask(net: IpNetwork): bigint {
  const hostBits = BigInt(BITS[net.version] - net.prefix);
  return allOnes(net.version) ^ ((1n << hostBits) - 1n);
}

/** True where Python's strict `ip_network()` refuses the network. */
export function hasHostBits(net: IpNetwork): boolean {
  return (net.address & netmask(net)) !== net.address;
}

/** The network with host bits cleared (Python's `ip_network(x, strict=False)`). */
export function networkOf(net: IpNetwork): IpNetwork {
  return { ...net, address: net.address & netmask(net) };
}

/** netaddr's `IPAddress in IPNetwork`: false across IP versions. */
export function networkContains(net: IpNetwork, ip: IpAddress): boolean {
  if (net.version !== ip.version) return false;
  const mask = netmask(net);
  return (ip.value & mask) === (net.address & mask);
}

/** Canonical text: dotted quad, or RFC 5952 compressed lowercase IPv6 (as Python). */
export function formatAddress(ip: IpAddress): string {
  if (ip.version === 4) {
    const n = Number(ip.value);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => (ip.value >> BigInt(112 - 16 * i)) & 0xffffn);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0n) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0n) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return `${left}::${right}`;
}

/** `address/prefix` in canonical form, host bits kept as given. */
export function formatNetwork(net: IpNetwork): string {
  return `${formatAddress({ version: net.version, value: net.address })}/${net.prefix}`;
}
