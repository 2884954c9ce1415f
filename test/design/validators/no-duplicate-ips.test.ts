import { describe, expect, it } from 'vitest';
import type { IpAddressAssignment } from '../../../src/design/model.ts';
import { noDuplicateIps } from '../../../src/design/validators/no-duplicate-ips.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const nodeDoc = (name: string) => ({ schema: 'drydock/BaremetalNode/v1', name });
const stat = (network: string, address: string): IpAddressAssignment => ({ network, type: 'static', address });
const dhcp = (network: string): IpAddressAssignment => ({ network, type: 'dhcp', address: null });
const node = (name: string, ...addressing: IpAddressAssignment[]) => makeNode(name, { addressing });

describe('Duplicated IP Check (DD2005)', () => {
  it('passes unique addresses, however many nodes use dhcp', () => {
    const site = siteOf({
      nodes: [node('n1', stat('oob', '172.16.100.21'), dhcp('pxe')), node('n2', stat('oob', '172.16.100.22'), dhcp('pxe'))],
    });
    expect(executeRule(noDuplicateIps, site, ctx)).toEqual([
      { kind: 'ValidationMessage', name: 'DD2005', message: 'Duplicated IP Check: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' },
    ]);
  });

  it('warns when the site has no nodes', () => {
    expect(executeRule(noDuplicateIps, siteOf({}), ctx).map((m) => [m.level, m.message, m.documents, m.diagnostic])).toEqual([
      ['Warning', 'Duplicated IP Check: No BaremetalNodes Found.', [], 'Site design unlikely complete with no defined baremetal nodes.'],
      ['Info', 'Duplicated IP Check: Validation successful.', [], ''],
    ]);
  });

  it('flags an address used by two nodes, naming the repeating node first', () => {
    const site = siteOf({ nodes: [node('controller01', stat('oob', '172.16.100.21')), node('compute01', stat('oob', '172.16.100.21'))] });
    expect(executeRule(noDuplicateIps, site, ctx)).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD2005',
        message: 'Duplicated IP Check: Duplicate IP Address Found: 172.16.100.21 ',
        error: true,
        level: 'Error',
        documents: [nodeDoc('compute01'), nodeDoc('controller01')],
        diagnostic: 'Select unique IP addresses for each node.',
      },
    ]);
  });

  it('flags an address one node uses on two networks', () => {
    const site = siteOf({ nodes: [node('compute01', stat('mgmt', '172.16.1.21'), stat('private', '172.16.1.21'))] });
    expect(executeRule(noDuplicateIps, site, ctx).map((m) => [m.message, m.documents])).toEqual([
      ['Duplicated IP Check: Duplicate IP Address Found: 172.16.1.21 ', [nodeDoc('compute01'), nodeDoc('compute01')]],
    ]);
  });

  it('reports every repeat against the first owner', () => {
    const site = siteOf({ nodes: [node('a', stat('x', '10.0.0.1')), node('b', stat('x', '10.0.0.1')), node('c', stat('x', '10.0.0.1'))] });
    expect(executeRule(noDuplicateIps, site, ctx).map((m) => m.documents.map((d) => d.name))).toEqual([
      ['b', 'a'],
      ['c', 'a'],
    ]);
  });

  it('sees one IPv6 address in two spellings as a duplicate (Drydock compared strings)', () => {
    const site = siteOf({ nodes: [node('a', stat('v6', '2001:db8::1')), node('b', stat('v6', '2001:DB8:0:0::1'))] });
    expect(executeRule(noDuplicateIps, site, ctx).map((m) => m.message)).toEqual([
      'Duplicated IP Check: Duplicate IP Address Found: 2001:DB8:0:0::1 ',
    ]);
  });

  it('finds the one repeat among 4,000 addresses (one map, no pairwise comparison)', () => {
    const nodes = Array.from({ length: 2_000 }, (_, i) =>
      node(`n${i}`, stat('a', `10.${i >> 8}.${i & 255}.1`), stat('b', `10.${i >> 8}.${i & 255}.2`)),
    );
    nodes.push(node('late', stat('a', '10.5.30.1')));
    const messages = executeRule(noDuplicateIps, siteOf({ nodes }), ctx);
    expect(messages.map((m) => m.documents.map((d) => d.name))).toEqual([['late', `n${(5 << 8) | 30}`]]);
  });
});
