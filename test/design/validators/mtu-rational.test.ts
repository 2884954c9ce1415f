import { describe, expect, it } from 'vitest';
import { mtuRational } from '../../../src/design/validators/mtu-rational.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeLink, makeNetwork, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const linkDoc = (name: string) => ({ schema: 'drydock/NetworkLink/v1', name });
const netDoc = (name: string) => ({ schema: 'drydock/Network/v1', name });
const RANGE_DIAGNOSTIC = 'Define a valid MTU. Standard is 1500, Jumbo is 9100.';

describe('MTU Rationality (DD2003)', () => {
  it('passes MTUs in range and no larger than their link', () => {
    const site = siteOf({
      links: [
        makeLink('pxe', { mtu: 1500, nativeNetwork: 'pxe', allowedNetworks: ['pxe'] }),
        makeLink('gp', { mtu: 9000, trunkMode: '802.1q', nativeNetwork: 'mgmt', allowedNetworks: ['mgmt', 'private'] }),
      ],
      networks: [
        makeNetwork('pxe', { mtu: 1500 }),
        makeNetwork('mgmt', { mtu: 9000 }),
        makeNetwork('private', { mtu: 1280 }),
        makeNetwork('unset'),
      ],
    });
    expect(executeRule(mtuRational, site, ctx)).toEqual([
      { kind: 'ValidationMessage', name: 'DD2003', message: 'MTU Rationality: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' },
    ]);
  });

  it('flags a link MTU out of range', () => {
    const site = siteOf({ links: [makeLink('pxe', { mtu: 700 }), makeLink('big', { mtu: 65537 }), makeLink('max', { mtu: 65536 })] });
    const messages = executeRule(mtuRational, site, ctx);
    expect(messages).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD2003',
        message: 'MTU Rationality: MTU must be between 1280 and 65536, value is 700',
        error: true,
        level: 'Error',
        documents: [linkDoc('pxe')],
        diagnostic: RANGE_DIAGNOSTIC,
      },
      expect.objectContaining({ message: 'MTU Rationality: MTU must be between 1280 and 65536, value is 65537', documents: [linkDoc('big')] }),
    ]);
  });

  it("flags a network MTU out of range, printing the network's MTU (Drydock printed the last link's)", () => {
    const site = siteOf({ links: [makeLink('gp', { mtu: 9000 })], networks: [makeNetwork('private', { mtu: 74000 })] });
    expect(executeRule(mtuRational, site, ctx)).toEqual([
      expect.objectContaining({
        level: 'Error',
        message: 'MTU Rationality: MTU must be between 1280 and 65536, value is 74000',
        documents: [netDoc('private')],
        diagnostic: RANGE_DIAGNOSTIC,
      }),
    ]);
  });

  it('flags a network MTU out of range when no link defines an MTU (Drydock crashed)', () => {
    const site = siteOf({ links: [makeLink('gp')], networks: [makeNetwork('small', { mtu: 1000 })] });
    expect(executeRule(mtuRational, site, ctx).map((m) => m.message)).toEqual([
      'MTU Rationality: MTU must be between 1280 and 65536, value is 1000',
    ]);
  });

  it('flags a native network with a larger MTU than its link', () => {
    const site = siteOf({
      links: [makeLink('gp', { mtu: 9000, nativeNetwork: 'mgmt', allowedNetworks: ['mgmt'] })],
      networks: [makeNetwork('mgmt', { mtu: 15000 })],
    });
    expect(executeRule(mtuRational, site, ctx)).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD2003',
        message: 'MTU Rationality: MTU must be <= the parent Network Link; for Network mgmt',
        error: true,
        level: 'Error',
        documents: [netDoc('mgmt')],
        diagnostic: 'Define a MTU less than or equal to that of the carrying network link.',
      },
    ]);
  });

  it('reports both range and parent findings for one network, as Drydock', () => {
    const site = siteOf({
      links: [makeLink('pxe', { mtu: 700, nativeNetwork: 'pxe', allowedNetworks: ['pxe'] })],
      networks: [makeNetwork('pxe', { mtu: 1500 })],
    });
    expect(executeRule(mtuRational, site, ctx).map((m) => [m.message, m.documents])).toEqual([
      ['MTU Rationality: MTU must be between 1280 and 65536, value is 700', [linkDoc('pxe')]],
      ['MTU Rationality: MTU must be <= the parent Network Link; for Network pxe', [netDoc('pxe')]],
    ]);
  });

  it('compares a tagged network with the trunk carrying it (Drydock checked native networks only)', () => {
    const site = siteOf({
      links: [makeLink('gp', { mtu: 1500, trunkMode: '802.1q', nativeNetwork: 'mgmt', allowedNetworks: ['mgmt', 'storage'] })],
      networks: [makeNetwork('mgmt', { mtu: 1500 }), makeNetwork('storage', { mtu: 9000 })],
    });
    expect(executeRule(mtuRational, site, ctx).map((m) => m.message)).toEqual([
      'MTU Rationality: MTU must be <= the parent Network Link; for Network storage',
    ]);
  });

  it('compares a network on several links with the smallest link MTU', () => {
    const site = siteOf({
      links: [
        makeLink('a', { mtu: 9000, allowedNetworks: ['shared'] }),
        makeLink('b', { mtu: 1500, allowedNetworks: ['shared'] }),
        makeLink('c', { allowedNetworks: ['shared'] }),
      ],
      networks: [makeNetwork('shared', { mtu: 9000 })],
    });
    expect(executeRule(mtuRational, site, ctx).map((m) => m.message)).toEqual([
      'MTU Rationality: MTU must be <= the parent Network Link; for Network shared',
    ]);
  });

  it('does not compare when the link or the network leaves its MTU unset', () => {
    const site = siteOf({
      links: [makeLink('a', { nativeNetwork: 'n1', allowedNetworks: ['n1'] }), makeLink('b', { mtu: 1500, nativeNetwork: 'n2' })],
      networks: [makeNetwork('n1', { mtu: 9000 }), makeNetwork('n2')],
    });
    expect(executeRule(mtuRational, site, ctx).map((m) => m.level)).toEqual(['Info']);
  });
});
