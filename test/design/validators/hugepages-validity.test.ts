import { describe, expect, it } from 'vitest';
import type { BaremetalNode } from '../../../src/design/model.ts';
import { hugepagesValidity } from '../../../src/design/validators/hugepages-validity.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeHostProfile, makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const node = (name: string, kernelParams: Record<string, string | boolean>) =>
  makeNode(name, { platform: { image: 'xenial', kernel: 'ga-16.04', kernelParams } });
const run = (...nodes: BaremetalNode[]) => executeRule(hugepagesValidity, siteOf({ nodes }), ctx);
const invalid = (n: string) => ({
  kind: 'ValidationMessage',
  name: 'DD1008',
  message: 'Hugepages: Invalid hugepages kernel configuration',
  error: true,
  level: 'Error',
  documents: [{ schema: 'drydock/BaremetalNode/v1', name: n }],
  diagnostic: 'hugepages and hugepagesz must be specified together',
});
const SUCCESS = { kind: 'ValidationMessage', name: 'DD1008', message: 'Hugepages: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' };

describe('Hugepages (DD1008)', () => {
  it('passes nodes with both hugepages parameters or neither', () => {
    expect(
      run(
        node('n1', { quiet: true, console: 'ttyS2' }),
        node('n2', { hugepagesz: 'hardwareprofile:hugepages.dpdk.size', hugepages: 'hardwareprofile:hugepages.dpdk.count' }),
      ),
    ).toEqual([SUCCESS]);
  });

  it('flags a count without a size', () => {
    expect(run(node('n1', { quiet: true, hugepages: '6' }))).toEqual([invalid('n1')]);
  });

  it('flags a size without a count, on each node in site order', () => {
    expect(run(node('n1', { hugepagesz: '1G' }), node('n2', {}), node('n3', { hugepagesz: '2M' }))).toEqual([
      invalid('n1'),
      invalid('n3'),
    ]);
  });

  it('checks nodes only, as Drydock: a host profile is checked through the nodes that use it', () => {
    const profile = makeHostProfile('p1', { platform: { image: null, kernel: null, kernelParams: { hugepages: '6' } } });
    expect(executeRule(hugepagesValidity, siteOf({ hostProfiles: [profile] }), ctx)).toEqual([SUCCESS]);
  });
});
