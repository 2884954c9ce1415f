import { describe, expect, it } from 'vitest';
import { hostnameValidity, nodeFqdn } from '../../../src/design/validators/hostname-validity.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const nodeDoc = (name: string) => ({ schema: 'drydock/BaremetalNode/v1', name });
const LABEL_DIAGNOSTIC =
  'RFC 1035 requires each label in a DNS name to be <= 63 characters and contain only A-Z, a-z, 0-9, and hyphens.';
const run = (...nodes: ReturnType<typeof makeNode>[]) => executeRule(hostnameValidity, siteOf({ nodes }), ctx);

describe('Hostname Validity (DD3003)', () => {
  it("builds the FQDN from the primary network's domain, or local", () => {
    expect(nodeFqdn(makeNode('n1', { domain: 'mgmt.example.com' }))).toBe('n1.mgmt.example.com');
    expect(nodeFqdn(makeNode('n1'))).toBe('n1.local');
  });

  it('passes valid names', () => {
    expect(run(makeNode('compute01', { domain: 'Site-1.example.com' }), makeNode('controller01'))).toEqual([
      { kind: 'ValidationMessage', name: 'DD3003', message: 'Hostname Validity: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' },
    ]);
  });

  it('flags a label with characters outside A-Z, a-z, 0-9 and hyphen', () => {
    expect(run(makeNode('bad__name', { domain: 'example.com' }))).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD3003',
        message: "Hostname Validity: FQDN bad__name.example.com is invalid - label 'bad__name' is invalid.",
        error: true,
        level: 'Error',
        documents: [nodeDoc('bad__name')],
        diagnostic: LABEL_DIAGNOSTIC,
      },
    ]);
  });

  it('flags a label longer than 63 characters', () => {
    const long = 'sitenameisverylongsoitshouldbeinvalidperrfcifikeepaddingoctetsafewmore';
    const messages = run(makeNode('n1', { domain: `mgmt.${long}.example.com` }));
    expect(messages.map((m) => m.message)).toEqual([
      `Hostname Validity: FQDN n1.mgmt.${long}.example.com is invalid - label '${long}' is invalid.`,
    ]);
  });

  it('flags an empty label', () => {
    expect(run(makeNode('n1', { domain: 'example.com.' })).map((m) => m.message)).toEqual([
      "Hostname Validity: FQDN n1.example.com. is invalid - label '' is invalid.",
    ]);
  });

  it('flags an FQDN longer than 255 characters, before any label findings', () => {
    const domain = Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.');
    const messages = run(makeNode('bad_one'), makeNode('n1', { domain }));
    const fqdn = `n1.${domain}`;
    expect(fqdn.length).toBeGreaterThan(255);
    expect(messages).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD3003',
        message: `Hostname Validity: FQDN ${fqdn} is invalid, greater than 255 characters.`,
        error: true,
        level: 'Error',
        documents: [nodeDoc('n1')],
        diagnostic: 'RFC 1035 requires full DNS names to be < 256 characters.',
      },
      expect.objectContaining({ message: "Hostname Validity: FQDN bad_one.local is invalid - label 'bad_one' is invalid." }),
    ]);
  });
});
