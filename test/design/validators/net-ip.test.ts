import { describe, expect, it } from 'vitest';
import {
  formatAddress,
  formatNetwork,
  hasHostBits,
  networkContains,
  networkOf,
  parseIpAddress,
  parseIpv4,
  parseIpv6,
  parseNetwork,
} from '../../../src/design/validators/net/ip.ts';

const canonical = (text: string) => {
  const ip = parseIpAddress(text);
  return ip ? formatAddress(ip) : null;
};

describe('parseIpv4', () => {
  it('reads a dotted quad', () => {
    expect(parseIpv4('10.1.2.3')).toBe(0x0a010203n);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffffn);
  });

  it.each(['10.0.0', '1.2.3.4.5', '256.0.0.1', '010.0.0.1', '1.2.3.', ' 1.2.3.4', '1.2.3.x', '١.2.3.4'])(
    'refuses %s as Python does',
    (text) => expect(parseIpv4(text)).toBeNull(),
  );
});

describe('parseIpv6', () => {
  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:1:0:0:1:0:0', '::1:0:0:1:0:0'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
  ])('reads %s (canonically %s)', (text, expected) => {
    expect(parseIpv6(text)).not.toBeNull();
    expect(canonical(text)).toBe(expected);
  });

  it.each([
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8', // '::' must stand for at least one group
    '1::2::3',
    ':1::2',
    '1::2:',
    '1:2:3:4:5:6:7',
    '12345::1',
    '::ffff:1.2.3.04',
    '1:2:3:4:5:6:7:1.2.3.4',
    'fe80::1%eth0', // scope ids: a documented difference from Python
  ])('refuses %s', (text) => expect(parseIpv6(text)).toBeNull());
});

describe('parseNetwork', () => {
  it('reads address/prefix for both versions', () => {
    expect(parseNetwork('10.0.0.0/24')).toEqual({ version: 4, address: 0x0a000000n, prefix: 24 });
    expect(parseNetwork('2001:db8::/32')).toEqual({ version: 6, address: 0x20010db8n << 96n, prefix: 32 });
  });

  it('reads a bare address as a single host', () => {
    expect(parseNetwork('10.0.0.7')?.prefix).toBe(32);
    expect(parseNetwork('::1')?.prefix).toBe(128);
  });

  it('reads an IPv4 netmask or hostmask, as Python', () => {
    expect(parseNetwork('10.0.0.0/255.255.255.0')?.prefix).toBe(24);
    expect(parseNetwork('10.0.0.0/0.0.0.255')?.prefix).toBe(24);
    expect(parseNetwork('10.0.0.0/024')?.prefix).toBe(24);
  });

  it.each(['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/255.0.255.0', '2001:db8::/129', '2001:db8::/ffff::', '10.0.0.0/24/1', 'net'])(
    'refuses %s',
    (text) => expect(parseNetwork(text)).toBeNull(),
  );
});

describe('host bits and network addresses', () => {
  it.each([
    ['10.0.0.0/24', false, '10.0.0.0/24'],
    ['10.0.0.1/24', true, '10.0.0.0/24'],
    ['10.0.0.1/255.255.255.0', true, '10.0.0.0/24'],
    ['0.0.0.0/0', false, '0.0.0.0/0'],
    ['2001:DB8::1/64', true, '2001:db8::/64'],
    ['2001:db8::/64', false, '2001:db8::/64'],
  ])('%s: host bits %s, network %s (as Python ip_network)', (text, hostBits, network) => {
    const net = parseNetwork(text);
    if (!net) throw new Error(`unparsed ${text}`);
    expect(hasHostBits(net)).toBe(hostBits);
    expect(formatNetwork(networkOf(net))).toBe(network);
  });

  it('formats a network with its host bits kept, as netaddr', () => {
    const net = parseNetwork('10.0.0.1/24');
    expect(net && formatNetwork(net)).toBe('10.0.0.1/24');
  });
});

describe('networkContains', () => {
  const contains = (cidr: string, address: string) => {
    const net = parseNetwork(cidr);
    const ip = parseIpAddress(address);
    if (!net || !ip) throw new Error('unparsed');
    return networkContains(net, ip);
  };

  it('holds for the addresses of the network, ignoring host bits in the CIDR', () => {
    expect(contains('172.16.1.0/24', '172.16.1.0')).toBe(true);
    expect(contains('172.16.1.0/24', '172.16.1.255')).toBe(true);
    expect(contains('172.16.1.9/24', '172.16.1.200')).toBe(true);
    expect(contains('0.0.0.0/0', '8.8.8.8')).toBe(true);
    expect(contains('2001:db8::/64', '2001:db8::ffff:1')).toBe(true);
  });

  it('fails outside the network', () => {
    expect(contains('172.16.1.0/24', '172.16.2.1')).toBe(false);
    expect(contains('10.0.0.5/32', '10.0.0.6')).toBe(false);
    expect(contains('2001:db8::/64', '2001:db8:0:1::1')).toBe(false);
  });

  it('never mixes IP versions', () => {
    expect(contains('::/0', '10.0.0.1')).toBe(false);
    expect(contains('0.0.0.0/0', '::ffff:10.0.0.1')).toBe(false);
  });
});
