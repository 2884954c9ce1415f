import { describe, expect, it } from 'vitest';
import { cidrValidity } from '../../../src/design/validators/cidr-validity.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeNetwork, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const run = (...cidrs: string[]) =>
  executeRule(cidrValidity, siteOf({ networks: cidrs.map((cidr, i) => makeNetwork(`net${i}`, { cidr })) }), ctx);

describe('CIDR Validity (DD2006)', () => {
  it('passes network addresses of both IP versions', () => {
    expect(run('172.16.0.0/24', '10.0.0.0/8', '2001:db8::/64', '192.168.1.7/32')).toEqual([
      { kind: 'ValidationMessage', name: 'DD2006', message: 'CIDR Validity: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' },
    ]);
  });

  it('warns when the site has no networks', () => {
    const [warning, ...rest] = executeRule(cidrValidity, siteOf({}), ctx);
    expect(warning).toMatchObject({
      name: 'DD2006',
      level: 'Warning',
      error: false,
      message: 'CIDR Validity: No networks found.',
      documents: [],
      diagnostic: 'Site design likely incomplete without defined networks',
    });
    expect(rest.map((m) => m.message)).toEqual(['CIDR Validity: Validation successful.']);
  });

  it('flags a CIDR with host bits set and offers the network address', () => {
    expect(run('172.16.0.0/24', '172.16.1.1/24')).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD2006',
        message: 'CIDR Validity: The provided CIDR 172.16.1.1/24 has host bits set',
        error: true,
        level: 'Error',
        documents: [{ schema: 'drydock/Network/v1', name: 'net1' }],
        diagnostic: 'Provide a CIDR acceptable by MAAS: 172.16.1.0/24',
      },
    ]);
  });

  it('flags host bits in an IPv6 CIDR', () => {
    const [msg] = run('2001:db8::1/64');
    expect(msg).toMatchObject({ level: 'Error', diagnostic: 'Provide a CIDR acceptable by MAAS: 2001:db8::/64' });
  });

  it('flags host bits however the CIDR is spelled (Drydock missed non-canonical spellings)', () => {
    const messages = run('10.0.0.1/255.255.255.0', '2001:DB8::1/64');
    expect(messages.map((m) => [m.level, m.message, m.diagnostic])).toEqual([
      ['Error', 'CIDR Validity: The provided CIDR 10.0.0.1/255.255.255.0 has host bits set', 'Provide a CIDR acceptable by MAAS: 10.0.0.0/24'],
      ['Error', 'CIDR Validity: The provided CIDR 2001:DB8::1/64 has host bits set', 'Provide a CIDR acceptable by MAAS: 2001:db8::/64'],
    ]);
  });

  it('flags a CIDR that is no network at all (Drydock let it pass, then crashed in IP Locality)', () => {
    const messages = run('172.16.0.0/33', 'not-a-cidr');
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({
      level: 'Error',
      message: 'CIDR Validity: The provided CIDR 172.16.0.0/33 is not a valid IPv4 or IPv6 network',
      documents: [{ schema: 'drydock/Network/v1', name: 'net0' }],
      diagnostic: 'Provide a CIDR as address/prefix length, e.g. 172.16.0.0/24',
    });
    expect(messages[1]?.message).toBe('CIDR Validity: The provided CIDR not-a-cidr is not a valid IPv4 or IPv6 network');
  });
});
