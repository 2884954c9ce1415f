import { describe, expect, it } from 'vitest';
import { rationalNetworkBond } from '../../../src/design/validators/rational-network-bond.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeLink, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const linkDoc = (name: string) => ({ schema: 'drydock/NetworkLink/v1', name });
const run = (...links: ReturnType<typeof makeLink>[]) => executeRule(rationalNetworkBond, siteOf({ links }), ctx);
const lacp = { bondingMode: '802.3ad', bondingXmitHash: 'layer3+4', bondingPeerRate: 'slow' } as const;

describe('Network Bond Rationality (DD1006)', () => {
  it('passes rational bonds of every mode', () => {
    const messages = run(
      makeLink('plain'),
      makeLink('lacp', { ...lacp, bondingMonRate: 100, bondingUpDelay: 200, bondingDownDelay: 100 }),
      makeLink('standby', { bondingMode: 'active-backup', bondingMonRate: 100, bondingUpDelay: 200, bondingDownDelay: 200 }),
      makeLink('rr', { bondingMode: 'balance-rr', bondingMonRate: 100 }),
    );
    expect(messages).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD1006',
        message: 'Network Bond Rationality: Validation successful.',
        error: false,
        level: 'Info',
        documents: [],
        diagnostic: '',
      },
    ]);
  });

  it.each([
    ['peer rate', { bondingPeerRate: 'fast' }],
    ['hash', { bondingXmitHash: 'layer2' }],
    ['mon rate', { bondingMonRate: 100 }],
    ['up delay', { bondingUpDelay: 200 }],
    ['down delay', { bondingDownDelay: 200 }],
  ])('flags a %s on an unbonded link', (_option, over) => {
    expect(run(makeLink('oob', over))).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD1006',
        message: 'Network Bond Rationality: If bonding mode is disabled no other bond option can be specified',
        error: true,
        level: 'Error',
        documents: [linkDoc('oob')],
        diagnostic: 'Enable a bonding mode or remove the bond options.',
      },
    ]);
  });

  it('flags LACP delays shorter than the mon rate', () => {
    const messages = run(makeLink('gp', { ...lacp, bondingMonRate: 150, bondingUpDelay: 50, bondingDownDelay: 60 }));
    expect(messages.map((m) => [m.level, m.message, m.documents, m.diagnostic])).toEqual([
      ['Error', 'Network Bond Rationality: Up delay 50 is less than mon rate 150', [linkDoc('gp')], 'Link up delay must be equal or greater than the mon_rate'],
      ['Error', 'Network Bond Rationality: Down delay 60 is less than mon rate 150', [linkDoc('gp')], 'Link down delay must be equal or greater than the mon_rate'],
    ]);
  });

  it('does not compare an unset LACP delay or mon rate (Drydock crashed comparing None)', () => {
    expect(run(makeLink('a', { ...lacp, bondingMonRate: 100 }), makeLink('b', { ...lacp, bondingUpDelay: 10, bondingDownDelay: 10 })).map((m) => m.level)).toEqual(['Info']);
  });

  it('flags a hash and a peer rate on an active-backup bond (Drydock crashed in this branch)', () => {
    const messages = run(makeLink('standby', { bondingMode: 'active-backup', bondingXmitHash: 'layer3+4', bondingPeerRate: 'fast' }));
    expect(messages.map((m) => [m.level, m.message, m.documents, m.diagnostic])).toEqual([
      ['Error', 'Network Bond Rationality: Hash cannot be defined if bond mode is active-backup', [linkDoc('standby')], 'Hash mode is only applicable to LACP (802.3ad)'],
      ['Error', 'Network Bond Rationality: Peer rate cannot be defined if bond mode is active-backup', [linkDoc('standby')], 'Peer rate is only applicable to LACP (802.3ad)'],
    ]);
  });

  it("flags a hash on a balance-rr bond (Drydock tested for 'balanced-rr', which never matches)", () => {
    expect(run(makeLink('rr', { bondingMode: 'balance-rr', bondingXmitHash: 'layer2' })).map((m) => m.message)).toEqual([
      'Network Bond Rationality: Hash cannot be defined if bond mode is balance-rr',
    ]);
  });
});
