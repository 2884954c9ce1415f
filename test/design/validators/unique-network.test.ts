import { describe, expect, it } from 'vitest';
import type { HostInterface } from '../../../src/design/model.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { uniqueNetwork } from '../../../src/design/validators/unique-network.ts';
import { makeLink, makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const linkDoc = (name: string) => ({ schema: 'drydock/NetworkLink/v1', name });
const nodeDoc = (name: string) => ({ schema: 'drydock/BaremetalNode/v1', name });
const nic = (deviceName: string, networkLink: string | null, networks: string[]): HostInterface => ({
  deviceName,
  networkLink,
  hardwareSlaves: [],
  networks,
  sriov: false,
  vfCount: null,
  trustedMode: null,
});
const links = [
  makeLink('pxe', { allowedNetworks: ['pxe'] }),
  makeLink('gp', { allowedNetworks: ['mgmt', 'private'] }),
];

describe('Allowed Network Check (DD1007)', () => {
  it('passes networks allowed on one link each and interfaces on allowed networks', () => {
    const site = siteOf({
      links,
      nodes: [makeNode('n1', { interfaces: [nic('pxe', 'pxe', ['pxe']), nic('bond0', 'gp', ['mgmt', 'private']), nic('spare', null, [])] })],
    });
    expect(executeRule(uniqueNetwork, site, ctx)).toEqual([
      { kind: 'ValidationMessage', name: 'DD1007', message: 'Allowed Network Check: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' },
    ]);
  });

  it('flags a network allowed on two links, naming both links (Drydock named no documents)', () => {
    const site = siteOf({ links: [...links, makeLink('extra', { allowedNetworks: ['private'] })] });
    expect(executeRule(uniqueNetwork, site, ctx)).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD1007',
        message: 'Allowed Network Check: Allowed network private duplicated on NetworkLink gp and NetworkLink extra',
        error: true,
        level: 'Error',
        documents: [linkDoc('gp'), linkDoc('extra')],
        diagnostic: 'Each network is only allowed to cross a single network link.',
      },
    ]);
  });

  it("reports every pair of links sharing networks in Drydock's order: by pair, then by the first link's list", () => {
    const site = siteOf({
      links: [
        makeLink('a', { allowedNetworks: ['y', 'x'] }),
        makeLink('b', { allowedNetworks: ['x', 'z'] }),
        makeLink('c', { allowedNetworks: ['z', 'x', 'y'] }),
      ],
    });
    expect(executeRule(uniqueNetwork, site, ctx).map((m) => m.message.replace('Allowed Network Check: Allowed network ', ''))).toEqual([
      'x duplicated on NetworkLink a and NetworkLink b',
      'y duplicated on NetworkLink a and NetworkLink c',
      'x duplicated on NetworkLink a and NetworkLink c',
      'x duplicated on NetworkLink b and NetworkLink c',
      'z duplicated on NetworkLink b and NetworkLink c',
    ]);
  });

  it('flags an interface attached to a network its link does not allow', () => {
    const site = siteOf({ links, nodes: [makeNode('n1', { interfaces: [nic('pxe', 'pxe', ['pxe', 'mgmt'])] })] });
    expect(executeRule(uniqueNetwork, site, ctx)).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD1007',
        message: 'Allowed Network Check: Interface pxe attached to network mgmt not allowed on interface link',
        error: true,
        level: 'Error',
        documents: [nodeDoc('n1')],
        diagnostic: 'Interfaces can only be attached to networks allowed on the network link connected to the interface.',
      },
    ]);
  });

  it('flags an interface on an undefined link once, not once per network as Drydock', () => {
    const site = siteOf({
      links,
      nodes: [makeNode('n1', { interfaces: [nic('bond1', 'storage', ['mgmt', 'private']), nic('eno9', null, ['pxe'])] })],
    });
    expect(executeRule(uniqueNetwork, site, ctx).map((m) => [m.level, m.message, m.documents, m.diagnostic])).toEqual([
      ['Error', 'Allowed Network Check: Interface bond1 connected to undefined network link storage.', [nodeDoc('n1')], 'Define the network link attached to this interface.'],
      ['Error', 'Allowed Network Check: Interface eno9 connected to undefined network link None.', [nodeDoc('n1')], 'Define the network link attached to this interface.'],
    ]);
  });

  it('reports shared networks before interface findings', () => {
    const site = siteOf({
      links: [...links, makeLink('dup', { allowedNetworks: ['pxe'] })],
      nodes: [makeNode('n1', { interfaces: [nic('pxe', 'pxe', ['oob'])] })],
    });
    expect(executeRule(uniqueNetwork, site, ctx).map((m) => m.message)).toEqual([
      'Allowed Network Check: Allowed network pxe duplicated on NetworkLink pxe and NetworkLink dup',
      'Allowed Network Check: Interface pxe attached to network oob not allowed on interface link',
    ]);
  });
});
