import { describe, expect, it } from 'vitest';
import type { BaremetalNode } from '../../../src/design/model.ts';
import { ipmiValidity } from '../../../src/design/validators/ipmi-validity.ts';
import { executeRule } from '../../../src/design/validators/rule.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx = { platforms: { images: {} } };
const oob = (over: Partial<BaremetalNode['oob']> = {}) => ({
  type: 'ipmi',
  network: 'oob',
  account: 'admin',
  credential: 'secret',
  params: {},
  ...over,
});
const goodNode = (name: string, over: Partial<BaremetalNode> = {}) =>
  makeNode(name, { oob: oob(), addressing: [{ network: 'oob', type: 'static', address: '10.0.0.5' }], ...over });
const run = (...nodes: BaremetalNode[]) => executeRule(ipmiValidity, siteOf({ nodes }), ctx);

describe('Valid IPMI Configuration (DD4001)', () => {
  it("keeps Drydock's code and long name (DD4001 is shared with Bootaction Definition in Drydock)", () => {
    expect([ipmiValidity.code, ipmiValidity.longName]).toEqual(['DD4001', 'Valid IPMI Configuration']);
  });

  it('passes an IPMI node with credentials, a network and an address on it', () => {
    const messages = run(goodNode('n1'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ level: 'Info', error: false, name: 'DD4001' });
  });

  it('ignores nodes whose OOB type is not ipmi', () => {
    expect(run(makeNode('n1', { oob: oob({ type: 'libvirt', account: null }) }))[0]?.level).toBe('Info');
  });

  it('reports each missing parameter by name (Drydock crashed formatting this message)', () => {
    const messages = run(goodNode('n1', { oob: oob({ account: null, credential: '' }) }));
    expect(messages.map((m) => m.message)).toEqual([
      'Valid IPMI Configuration: OOB parameter account for IPMI node n1 missing.',
      'Valid IPMI Configuration: OOB parameter credential for IPMI node n1 missing.',
    ]);
    expect(messages[0]).toMatchObject({
      level: 'Error',
      error: true,
      documents: [{ schema: 'drydock/BaremetalNode/v1', name: 'n1' }],
      diagnostic: 'Define OOB parameter account',
    });
  });

  it('reports both the missing network and the missing address without an OOB network', () => {
    const messages = run(goodNode('n1', { oob: oob({ network: null }) }));
    expect(messages.map((m) => m.message)).toEqual([
      'Valid IPMI Configuration: OOB parameter network for IPMI node n1 missing.',
      'Valid IPMI Configuration: OOB address missing for IPMI node n1.',
    ]);
  });

  it('reports a node with no address on its OOB network', () => {
    const messages = run(goodNode('n1', { addressing: [{ network: 'pxe', type: 'static', address: '10.1.0.5' }] }));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      message: 'Valid IPMI Configuration: OOB address missing for IPMI node n1.',
      diagnostic: 'Provide address to node OOB interface.',
    });
  });

  it('reports a dhcp assignment on the OOB network as no address', () => {
    const messages = run(goodNode('n1', { addressing: [{ network: 'oob', type: 'dhcp', address: null }] }));
    expect(messages[0]?.message).toContain('OOB address missing for IPMI node n1.');
  });
});
