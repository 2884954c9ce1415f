import { describe, expect, it } from 'vitest';
import { compileClean, hostProfile, node, nodeOf } from './builders.ts';

describe('host profile inheritance', () => {
  it('inherits simple fields the child leaves unset and keeps the ones it sets', () => {
    const site = compileClean(
      hostProfile('base', {
        primary_network: 'oam',
        platform: { image: 'xenial', kernel: 'ga-16.04' },
        metadata: { rack: 'rack1' },
        oob: { type: 'ipmi' },
      }),
      node('n1', { host_profile: 'base', platform: { kernel: 'hwe-16.04' } }),
    );
    const n = nodeOf(site, 'n1');
    expect(n.hardwareProfile).toBe('hw');
    expect(n.primaryNetwork).toBe('oam');
    expect(n.rack).toBe('rack1');
    expect(n.platform.image).toBe('xenial');
    expect(n.platform.kernel).toBe('hwe-16.04');
    expect(n.oob.type).toBe('ipmi');
    expect(n.hostProfile).toBe('base');
  });

  it("unsets an inherited simple field written as '!'", () => {
    const site = compileClean(
      hostProfile('base', { platform: { kernel: 'ga-16.04' }, metadata: { rack: 'rack1' } }),
      node('n1', { host_profile: 'base', platform: { kernel: '!' } }),
    );
    expect(nodeOf(site, 'n1').platform.kernel).toBeNull();
    expect(nodeOf(site, 'n1').rack).toBe('rack1');
  });

  it('merges mappings child over parent, removing !keys', () => {
    const site = compileClean(
      hostProfile('base', {
        metadata: { owner_data: { team: 'infra', tier: 'gold' } },
        platform: { kernel_params: { console: 'ttyS1', quiet: true, nomodeset: true } },
        oob: { type: 'libvirt', libvirt_uri: 'qemu+ssh://a@h/system', network: 'oob' },
      }),
      node('n1', {
        host_profile: 'base',
        metadata: { owner_data: { tier: 'silver', '!team': '' } },
        platform: { kernel_params: { console: 'ttyS0', '!nomodeset': true, isolcpus: '2-4' } },
        oob: { account: 'admin' },
      }),
    );
    const n = nodeOf(site, 'n1');
    expect(n.ownerData).toEqual({ tier: 'silver' });
    expect(n.labels).toEqual({ tier: 'silver' });
    expect(n.platform.kernelParams).toEqual({ console: 'ttyS0', quiet: true, isolcpus: '2-4' });
    expect(n.oob).toEqual({
      type: 'libvirt',
      network: 'oob',
      account: 'admin',
      credential: null,
      params: { type: 'libvirt', libvirt_uri: 'qemu+ssh://a@h/system', network: 'oob', account: 'admin' },
    });
  });

  it('merges tags child first and removes parent tags named with !', () => {
    const site = compileClean(
      hostProfile('base', { metadata: { tags: ['masters', 'storage', 'gpu'] } }),
      node('n1', { host_profile: 'base', metadata: { tags: ['edge', '!storage', 'gpu'] } }),
    );
    expect(nodeOf(site, 'n1').tags).toEqual(['edge', 'gpu', 'masters']);
  });

  it('applies a three-level chain in order: defaults, then role profile, then node', () => {
    const site = compileClean(
      hostProfile('defaults', {
        platform: { image: 'xenial', kernel: 'ga-16.04', kernel_params: { a: '1' } },
        metadata: { tags: ['base'] },
        primary_network: 'oam',
      }),
      hostProfile('compute', {
        host_profile: 'defaults',
        platform: { kernel: 'hwe-16.04', kernel_params: { b: '2' } },
        metadata: { tags: ['compute', '!base'] },
      }),
      node('n1', { host_profile: 'compute', metadata: { tags: ['n1'] }, platform: { kernel_params: { a: '9' } } }),
    );
    const compute = site.hostProfiles.get('compute');
    expect(compute?.parentProfile).toBe('defaults');
    expect(compute?.tags).toEqual(['compute']);
    expect(compute?.platform).toEqual({ image: 'xenial', kernel: 'hwe-16.04', kernelParams: { a: '1', b: '2' } });
    const n = nodeOf(site, 'n1');
    expect(n.tags).toEqual(['n1', 'compute']);
    expect(n.platform).toEqual({ image: 'xenial', kernel: 'hwe-16.04', kernelParams: { a: '9', b: '2' } });
    expect(n.primaryNetwork).toBe('oam');
  });

  it('drops removal markers on a profile with no parent instead of keeping them as entries', () => {
    const site = compileClean(hostProfile('root', { metadata: { tags: ['a', '!b'], owner_data: { '!x': 'y', k: 'v' } } }));
    expect(site.hostProfiles.get('root')?.tags).toEqual(['a']);
    expect(site.hostProfiles.get('root')?.ownerData).toEqual({ k: 'v' });
  });

  it('gives every node its own copies, so changing one node leaves its siblings alone', () => {
    const site = compileClean(
      hostProfile('base', { metadata: { tags: ['t'] }, interfaces: { eth0: { networks: ['pxe'] } } }),
      node('n1', { host_profile: 'base' }),
      node('n2', { host_profile: 'base' }),
    );
    nodeOf(site, 'n1').tags.push('x');
    nodeOf(site, 'n1').interfaces[0]?.networks.push('y');
    expect(nodeOf(site, 'n2').tags).toEqual(['t']);
    expect(nodeOf(site, 'n2').interfaces[0]?.networks).toEqual(['pxe']);
    expect(site.hostProfiles.get('base')?.tags).toEqual(['t']);
  });
});
