import { describe, expect, it } from 'vitest';
import type { BaremetalNode, SiteModel } from '../../../src/design/model.ts';
import { platformSelection } from '../../../src/design/validators/platform-selection.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: { xenial: ['ga-16.04', 'hwe-16.04'], bionic: ['ga-18.04'] } } };
const node = (name: string, image: string | null, kernel: string | null) =>
  makeNode(name, { platform: { image, kernel, kernelParams: {} } });
const run = (nodes: BaremetalNode[], c: RuleContext = ctx) => executeRule(platformSelection, siteOf({ nodes }), c);

describe('Platform Selection (DD3001)', () => {
  it('passes nodes whose image and kernel the node driver offers', () => {
    const messages = run([node('n1', 'xenial', 'hwe-16.04'), node('n2', 'bionic', 'ga-18.04')]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ name: 'DD3001', level: 'Info', message: 'Platform Selection: Validation successful.' });
  });

  it('reports a kernel not offered for the image, listing the valid kernels', () => {
    const messages = run([node('n1', 'xenial', 'lts')]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      level: 'Error',
      message: 'Platform Selection: Platform Validation: invalid kernel lts',
      documents: [{ schema: 'drydock/BaremetalNode/v1', name: 'n1' }],
      diagnostic: 'Select a valid kernel from: ga-16.04,hwe-16.04',
    });
  });

  it('reports an unknown image, listing the valid images', () => {
    const messages = run([node('n1', 'trusty', 'ga-16.04')]);
    expect(messages[0]).toMatchObject({
      level: 'Error',
      message: 'Platform Selection: Platform Validation: invalid image trusty',
      diagnostic: 'Select a valid image from: xenial,bionic',
    });
  });

  it('reports an unset image or kernel plainly (Drydock printed None)', () => {
    expect(run([node('n1', null, null)])[0]?.message).toContain('invalid image (not set)');
    expect(run([node('n1', 'xenial', null)])[0]?.message).toContain('invalid kernel (not set)');
  });

  it('does not take an Object prototype key for an image', () => {
    expect(run([node('n1', 'constructor', 'x')])[0]?.message).toContain('invalid image constructor');
  });

  it('only warns when the node driver offers no catalogue, as Drydock without a node driver', () => {
    const messages = run([node('n1', 'xenial', 'lts')], { platforms: { images: {} } });
    expect(messages.map((m) => m.level)).toEqual(['Warning', 'Info']);
    expect(messages[0]).toMatchObject({
      message: 'Platform Selection: Platform Validation: No enabled node driver, image and kernel selections not validated.',
      documents: [],
      diagnostic: 'Cannot validate platform selection without accessing the node provisioner.',
    });
  });

  it('only warns, naming why, when the node driver could not list its images', () => {
    const messages = run([node('n1', 'xenial', 'lts')], { platforms: { images: {}, unavailable: 'could not connect to MAAS' } });
    expect(messages.map((m) => m.level)).toEqual(['Warning', 'Info']);
    expect(messages[0]?.message).toBe(
      'Platform Selection: Platform Validation: Could not load images from the node driver (could not connect to MAAS), image and kernel selections not validated.',
    );
  });

  describe('with the images each site agent reported (an edge whose calls run at agents)', () => {
    const bySite = { east: { jammy: ['ga-22.04'] }, west: { xenial: ['hwe-16.04'] } };
    const siteNamed = (name: string | null, nodes: BaremetalNode[]) => {
      const site = siteOf({ nodes });
      const region = name === null ? null : ({ name, doc: { schema: 'drydock/Region/v1', name } } as SiteModel['region']);
      return { ...site, region };
    };
    const runAt = (name: string | null, nodes: BaremetalNode[]) =>
      executeRule(platformSelection, siteNamed(name, nodes), { platforms: { images: {}, bySite } });

    it("checks the design against its own site's images, not another site's", () => {
      expect(runAt('west', [node('n1', 'xenial', 'hwe-16.04')]).map((m) => m.level)).toEqual(['Info']);
      expect(runAt('east', [node('n1', 'xenial', 'hwe-16.04')])[0]).toMatchObject({
        level: 'Error',
        message: 'Platform Selection: Platform Validation: invalid image xenial',
        diagnostic: 'Select a valid image from: jammy',
      });
    });

    it('only warns, naming the site, before its agent reported, or when the design names no site', () => {
      const unreported = runAt('north', [node('n1', 'xenial', 'lts')]);
      expect(unreported.map((m) => m.level)).toEqual(['Warning', 'Info']);
      expect(unreported[0]?.message).toContain('(no inventory from an agent of site north yet)');
      expect(runAt(null, [node('n1', 'xenial', 'lts')]).map((m) => m.level)).toEqual(['Warning', 'Info']);
      // A site named like an Object prototype key has no images unless reported.
      expect(runAt('constructor', [node('n1', 'xenial', 'lts')])[0]?.level).toBe('Warning');
    });
  });
});
