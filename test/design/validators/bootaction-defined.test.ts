import { describe, expect, it } from 'vitest';
import { bootactionDefined } from '../../../src/design/validators/bootaction-defined.ts';
import { executeRule } from '../../../src/design/validators/rule.ts';
import { makeBootAction, makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx = { platforms: { images: {} } };

describe('Bootaction Definition (DD4001)', () => {
  it("keeps Drydock's code and long name (DD4001 is shared with Valid IPMI Configuration in Drydock)", () => {
    expect([bootactionDefined.code, bootactionDefined.longName]).toEqual(['DD4001', 'Bootaction Definition']);
  });

  it('passes when every node is targeted by some boot action', () => {
    const site = siteOf({
      nodes: [makeNode('n1'), makeNode('n2')],
      bootActions: [makeBootAction('a', { targetNodes: ['n1'] }), makeBootAction('b', { targetNodes: ['n2', 'n1'] })],
    });
    const messages = executeRule(bootactionDefined, site, ctx);
    expect(messages.map((m) => m.level)).toEqual(['Info']);
  });

  it('warns for each node no boot action targets', () => {
    const site = siteOf({
      nodes: [makeNode('n1'), makeNode('n2'), makeNode('n3')],
      bootActions: [makeBootAction('a', { targetNodes: ['n2'] })],
    });
    const messages = executeRule(bootactionDefined, site, ctx);
    expect(messages.map((m) => m.level)).toEqual(['Warning', 'Warning', 'Info']);
    expect(messages[0]).toMatchObject({
      name: 'DD4001',
      error: false,
      message: 'Bootaction Definition: Node n1 is not in scope for any bootactions.',
      documents: [{ schema: 'drydock/BaremetalNode/v1', name: 'n1' }],
      diagnostic: 'It is expected all nodes have at least one post-deploy action.',
    });
    expect(messages[1]?.message).toContain('Node n3 ');
  });

  it('warns for every node when the site has no boot actions', () => {
    const site = siteOf({ nodes: [makeNode('n1')] });
    expect(executeRule(bootactionDefined, site, ctx).map((m) => m.level)).toEqual(['Warning', 'Info']);
  });
});
