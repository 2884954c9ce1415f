import { describe, expect, it } from 'vitest';
import type { IpAddressAssignment, Network } from '../../../src/design/model.ts';
import { ipLocality } from '../../../src/design/validators/ip-locality.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeNetwork, makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const netDoc = (name: string) => ({ schema: 'drydock/Network/v1', name });
const nodeDoc = (name: string) => ({ schema: 'drydock/BaremetalNode/v1', name });
const route = (subnet: string, gateway: string) => ({ subnet, gateway, metric: 10, routedomain: null });
const stat = (network: string, address: string | null): IpAddressAssignment => ({ network, type: 'static', address });

function site(networks: Network[], addressing: IpAddressAssignment[]) {
  return siteOf({ networks, nodes: [makeNode('node01', { addressing })] });
}
const mgmt = (over: Partial<Network> = {}) =>
  makeNetwork('mgmt', { cidr: '172.16.1.0/24', routes: [route('0.0.0.0/0', '172.16.1.1')], ...over });

describe('IP Locality Check (DD2002)', () => {
  it('passes local gateways and addresses, skipping dhcp', () => {
    const messages = executeRule(
      ipLocality,
      site(
        [mgmt(), makeNetwork('v6', { cidr: '2001:db8::/64', routes: [route('::/0', '2001:db8::1')] })],
        [stat('mgmt', '172.16.1.20'), stat('v6', '2001:db8::20'), { network: 'pxe', type: 'dhcp', address: null }],
      ),
      ctx,
    );
    expect(messages).toEqual([
      { kind: 'ValidationMessage', name: 'DD2002', message: 'IP Locality Check: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' },
    ]);
  });

  it('warns when there are no networks, and every static address then names an unknown network', () => {
    const messages = executeRule(ipLocality, site([], [stat('mgmt', '172.16.1.20')]), ctx);
    expect(messages.map((m) => [m.level, m.message, m.documents, m.diagnostic])).toEqual([
      ['Warning', 'IP Locality Check: No networks found.', [], 'Site design likely incomplete without defined networks'],
      ['Error', 'IP Locality Check: mgmt is not a valid network.', [nodeDoc('node01')], 'Define network or correct address definition.'],
    ]);
  });

  it('warns when there are no nodes (with a diagnostic about nodes, where Drydock said networks)', () => {
    const messages = executeRule(ipLocality, siteOf({ networks: [mgmt()] }), ctx);
    expect(messages.map((m) => [m.level, m.message, m.documents, m.diagnostic])).toEqual([
      ['Warning', 'IP Locality Check: No baremetal_nodes found.', [], 'Site design likely incomplete without defined baremetal nodes.'],
      ['Info', 'IP Locality Check: Validation successful.', [], ''],
    ]);
  });

  it('flags a route without a gateway, naming the route rather than the whole route list', () => {
    const [msg] = executeRule(ipLocality, site([mgmt({ routes: [route('10.0.0.0/8', '')] })], []), ctx);
    expect(msg).toMatchObject({
      name: 'DD2002',
      level: 'Error',
      error: true,
      message: 'IP Locality Check: No gateway found for route 10.0.0.0/8.',
      documents: [netDoc('mgmt')],
      diagnostic: 'Define a network-local gateway for the route.',
    });
  });

  it('flags a gateway outside the network CIDR', () => {
    const messages = executeRule(ipLocality, site([mgmt({ routes: [route('0.0.0.0/0', '141.16.1.1')] })], []), ctx);
    expect(messages).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD2002',
        message: 'IP Locality Check: The gateway IP Address 141.16.1.1 is not within the defined CIDR: 172.16.1.0/24 of mgmt.',
        error: true,
        level: 'Error',
        documents: [netDoc('mgmt')],
        diagnostic: 'Route gateways must reside on the local network. Check gateway IP and CIDR netmask.',
      },
    ]);
  });

  it('flags an IPv4 gateway on an IPv6 network', () => {
    const net = makeNetwork('v6', { cidr: '2001:db8::/64', routes: [route('::/0', '10.0.0.1')] });
    const [msg] = executeRule(ipLocality, site([net], []), ctx);
    expect(msg?.message).toBe('IP Locality Check: The gateway IP Address 10.0.0.1 is not within the defined CIDR: 2001:db8::/64 of v6.');
  });

  it('flags a node address outside its network CIDR', () => {
    const messages = executeRule(ipLocality, site([mgmt()], [stat('mgmt', '141.16.1.20')]), ctx);
    expect(messages).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD2002',
        message: 'IP Locality Check: The IP Address 141.16.1.20 is not within the defined CIDR: 172.16.1.0/24 of mgmt .',
        error: true,
        level: 'Error',
        documents: [nodeDoc('node01')],
        diagnostic: 'Define a valid address for this network.',
      },
    ]);
  });

  it('flags a static address on an undefined network', () => {
    const [msg] = executeRule(ipLocality, site([mgmt()], [stat('storage', '172.16.9.2')]), ctx);
    expect(msg).toMatchObject({
      level: 'Error',
      message: 'IP Locality Check: storage is not a valid network.',
      documents: [nodeDoc('node01')],
      diagnostic: 'Define network or correct address definition.',
    });
  });

  it('reports a malformed gateway or address instead of crashing as Drydock did', () => {
    const messages = executeRule(
      ipLocality,
      site([mgmt({ routes: [route('0.0.0.0/0', '172.16.1.300')] })], [stat('mgmt', 'bogus'), stat('mgmt', null)]),
      ctx,
    );
    expect(messages.map((m) => [m.message, m.documents])).toEqual([
      ['IP Locality Check: The gateway IP Address 172.16.1.300 of mgmt is not a valid IP address.', [netDoc('mgmt')]],
      ['IP Locality Check: The IP Address bogus on network mgmt is not a valid IP address.', [nodeDoc('node01')]],
      ['IP Locality Check: The IP Address (none) on network mgmt is not a valid IP address.', [nodeDoc('node01')]],
    ]);
    expect(messages.every((m) => m.level === 'Error')).toBe(true);
  });

  it('leaves a network with a malformed CIDR to CIDR Validity instead of crashing as Drydock did', () => {
    const messages = executeRule(ipLocality, site([mgmt({ cidr: 'nonsense' })], [stat('mgmt', '172.16.1.20')]), ctx);
    expect(messages.map((m) => m.message)).toEqual(['IP Locality Check: Validation successful.']);
  });
});
