import { describe, expect, it } from 'vitest';
import { compile, compileClean, hardwareProfile, hostProfile, network, node, nodeOf } from './builders.ts';

describe('baremetal nodes', () => {
  it('maps `address: dhcp` to a dhcp assignment without address and any other address to static', () => {
    const site = compileClean(
      node('n1', {
        addressing: [
          { network: 'pxe', address: 'dhcp' },
          { network: 'oam', address: '172.16.1.20' },
          { network: 'storage', address: '' },
        ],
      }),
    );
    expect(nodeOf(site, 'n1').addressing).toEqual([
      { network: 'pxe', type: 'dhcp', address: null },
      { network: 'oam', type: 'static', address: '172.16.1.20' },
    ]);
  });

  it("takes its domain from the primary network's dns domain", () => {
    const site = compileClean(
      network('oam', { dns: { domain: 'site.example.com', servers: '8.8.8.8, 8.8.4.4' } }),
      network('pxe'),
      hostProfile('base', { primary_network: 'oam' }),
      node('n1', { host_profile: 'base' }),
      node('n2', { primary_network: 'pxe' }),
      node('n3', { primary_network: 'nowhere' }),
      node('n4'),
    );
    expect(nodeOf(site, 'n1').domain).toBe('site.example.com');
    expect(site.networks.get('oam')?.dnsServers).toEqual(['8.8.8.8', '8.8.4.4']);
    // No domain on the network, no such network, no primary network: null (the renderer says `local`).
    expect(nodeOf(site, 'n2').domain).toBeNull();
    expect(nodeOf(site, 'n3').domain).toBeNull();
    expect(nodeOf(site, 'n4').domain).toBeNull();
  });

  it('reads boot_mac, rack and owner_data, and uses owner_data as the node labels', () => {
    const site = compileClean(
      node('n1', { metadata: { boot_mac: '52:54:00:00:00:01', rack: 'rack2', owner_data: { role: 'ceph' }, tags: ['t'] } }),
    );
    expect(nodeOf(site, 'n1')).toMatchObject({
      bootMac: '52:54:00:00:00:01',
      rack: 'rack2',
      ownerData: { role: 'ceph' },
      labels: { role: 'ceph' },
      tags: ['t'],
      hostProfile: null,
      doc: { schema: 'drydock/BaremetalNode/v1', name: 'n1' },
    });
  });

  it('does not inherit boot_mac or addressing from profiles (they are node-only)', () => {
    const site = compileClean(hostProfile('base', { metadata: { boot_mac: 'aa:bb' } }), node('n1', { host_profile: 'base' }));
    expect(nodeOf(site, 'n1').bootMac).toBeNull();
  });

  it('resolves hardwareprofile: kernel parameter references from the node hardware profile', () => {
    const result = compile(
      hardwareProfile('gen9', { cpu_sets: { kvm: '4-43,48-87' }, hugepages: { dpdk: { size: '1G', count: 300 } } }),
      hostProfile('base', {
        hardware_profile: 'gen9',
        platform: {
          kernel_params: {
            isolcpus: 'hardwareprofile:cpuset.kvm',
            hugepagesz: 'hardwareprofile:hugepages.dpdk.size',
            hugepages: 'hardwareprofile:hugepages.dpdk.count',
            missing: 'hardwareprofile:cpuset.none',
            malformed: 'hardwareprofile:nodot',
            console: 'ttyS1',
            quiet: true,
          },
        },
      }),
      node('n1', { host_profile: 'base', hardware_profile: undefined }),
    );
    expect(result.messages).toEqual([]);
    expect(result.site.nodes.get('n1')?.platform.kernelParams).toEqual({
      isolcpus: '4-43,48-87',
      hugepagesz: '1G',
      hugepages: '300',
      missing: 'hardwareprofile:cpuset.none',
      malformed: 'hardwareprofile:nodot',
      console: 'ttyS1',
      quiet: true,
    });
    // The profile itself keeps the references, as in Drydock.
    expect(result.site.hostProfiles.get('base')?.platform.kernelParams.isolcpus).toBe('hardwareprofile:cpuset.kvm');
  });
});
