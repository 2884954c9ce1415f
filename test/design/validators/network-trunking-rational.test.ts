import { describe, expect, it } from 'vitest';
import { networkTrunkingRational } from '../../../src/design/validators/network-trunking-rational.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeLink, makeNetwork, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const linkDoc = (name: string) => ({ schema: 'drydock/NetworkLink/v1', name });
const netDoc = (name: string) => ({ schema: 'drydock/Network/v1', name });

describe('Network Trunking Rationalty (DD2004)', () => {
  it('passes an untagged native network on an untrunked link and anything on a trunk', () => {
    const site = siteOf({
      links: [
        makeLink('pxe', { nativeNetwork: 'pxe', allowedNetworks: ['pxe'] }),
        makeLink('gp', { trunkMode: '802.1q', allowedNetworks: ['mgmt', 'private'] }),
      ],
      networks: [makeNetwork('pxe'), makeNetwork('mgmt', { vlanId: '100' }), makeNetwork('private', { vlanId: '101' })],
    });
    expect(executeRule(networkTrunkingRational, site, ctx)).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD2004',
        message: 'Network Trunking Rationalty: Validation successful.',
        error: false,
        level: 'Info',
        documents: [],
        diagnostic: '',
      },
    ]);
  });

  it('flags several allowed networks on an untrunked link, with Drydock\'s text', () => {
    const site = siteOf({
      links: [makeLink('gp', { nativeNetwork: 'mgmt', allowedNetworks: ['mgmt', 'private'] })],
      networks: [makeNetwork('mgmt'), makeNetwork('private')],
    });
    expect(executeRule(networkTrunkingRational, site, ctx)).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD2004',
        message: 'Network Trunking Rationalty: If there is more than 1 allowed network,trunking mode must be enabled',
        error: true,
        level: 'Error',
        documents: [linkDoc('gp')],
        diagnostic: 'Reduce the allowed network list to 1 or enable trunking on the link.',
      },
    ]);
  });

  it('flags an untrunked link without a native network', () => {
    const site = siteOf({ links: [makeLink('oob', { allowedNetworks: ['oob'] })], networks: [makeNetwork('oob')] });
    expect(executeRule(networkTrunkingRational, site, ctx)).toEqual([
      expect.objectContaining({
        name: 'DD2004',
        level: 'Error',
        message: 'Network Trunking Rationalty: Trunking mode is disabled, a trunking default_network must be defined',
        documents: [linkDoc('oob')],
        diagnostic: 'Non-trunked links must have a native network defined.',
      }),
    ]);
  });

  it('flags a tagged native network on an untrunked link, naming network and link', () => {
    const site = siteOf({
      links: [makeLink('pxe', { nativeNetwork: 'pxe', allowedNetworks: ['pxe'] })],
      networks: [makeNetwork('pxe', { vlanId: '100' })],
    });
    expect(executeRule(networkTrunkingRational, site, ctx)).toEqual([
      expect.objectContaining({
        level: 'Error',
        message: 'Network Trunking Rationalty: Network link native network has a defined VLAN tag.',
        documents: [netDoc('pxe'), linkDoc('pxe')],
        diagnostic: 'Tagged network not allowed on non-trunked network links.',
      }),
    ]);
  });

  it('reports both findings of one link in Drydock\'s order', () => {
    const site = siteOf({ links: [makeLink('bad', { allowedNetworks: ['a', 'b'] })] });
    expect(executeRule(networkTrunkingRational, site, ctx).map((m) => m.message)).toEqual([
      'Network Trunking Rationalty: If there is more than 1 allowed network,trunking mode must be enabled',
      'Network Trunking Rationalty: Trunking mode is disabled, a trunking default_network must be defined',
    ]);
  });

  it('reports an undefined native network (Drydock crashed looking it up)', () => {
    const site = siteOf({ links: [makeLink('pxe', { nativeNetwork: 'missing', allowedNetworks: ['missing'] })] });
    expect(executeRule(networkTrunkingRational, site, ctx)).toEqual([
      expect.objectContaining({
        level: 'Error',
        message: 'Network Trunking Rationalty: Network link native network missing is not defined.',
        documents: [linkDoc('pxe')],
        diagnostic: 'Define the network or correct the default_network of the link.',
      }),
    ]);
  });
});
