import { describe, expect, it } from 'vitest';
import { compile, hardwareProfile, hostProfile, network, node, bootAction } from './builders.ts';

const NODES = 10_000;

function design() {
  const docs = [
    hardwareProfile('hw', { cpu_sets: { kvm: '4-43' } }),
    network('pxe', { cidr: '10.0.0.0/16' }),
    network('oam', { cidr: '10.1.0.0/16', dns: { domain: 'example.com' } }),
    hostProfile('defaults', {
      hardware_profile: 'hw',
      primary_network: 'oam',
      oob: { type: 'ipmi', network: 'oob', account: 'admin', credential: 'secret' },
      platform: {
        image: 'xenial',
        kernel: 'ga-16.04',
        kernel_params: { isolcpus: 'hardwareprofile:cpuset.kvm', quiet: true },
      },
      metadata: { tags: ['base'], owner_data: { site: 'lab' } },
      interfaces: {
        pxe: { device_link: 'pxe', slaves: ['eno1'], networks: ['pxe'] },
        bond0: { device_link: 'gp', slaves: ['ens1f0', 'ens1f1'], networks: ['oam', 'storage'] },
      },
      storage: {
        physical_devices: {
          sda: {
            partitions: [
              { name: 'root', size: '30g', filesystem: { mountpoint: '/' } },
              { name: 'boot', size: '1g', filesystem: { mountpoint: '/boot' } },
            ],
          },
          sdb: { volume_group: 'data' },
        },
        volume_groups: { data: { logical_volumes: [{ name: 'var', size: '100%', filesystem: { mountpoint: '/var' } }] } },
      },
    }),
  ];
  for (const role of ['compute', 'storage', 'control']) {
    docs.push(hostProfile(role, { host_profile: 'defaults', metadata: { tags: [role] } }));
  }
  const roles = ['compute', 'storage', 'control'];
  for (let i = 0; i < NODES; i++) {
    docs.push(
      node(`node${i}`, {
        host_profile: roles[i % 3],
        addressing: [
          { network: 'pxe', address: 'dhcp' },
          { network: 'oam', address: `10.1.${i >> 8}.${i & 255}` },
        ],
        metadata: { rack: `rack${i % 40}`, boot_mac: `52:54:00:00:${(i >> 8).toString(16)}:${(i & 255).toString(16)}` },
      }),
    );
  }
  docs.push(bootAction('everywhere'));
  const someFilter = { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['node1', 'node2'] }] };
  docs.push(bootAction('some', { node_filter: someFilter }));
  return docs;
}

describe('scale', () => {
  it('compiles 10,000 nodes sharing a few profiles', () => {
    const { site, messages } = compile(...design());
    expect(messages).toEqual([]);
    expect(site.nodes.size).toBe(NODES);
    expect(site.hostProfiles.size).toBe(4);
    expect(site.bootActions.get('everywhere')?.targetNodes).toHaveLength(NODES);
    expect(site.bootActions.get('some')?.targetNodes).toEqual(['node1', 'node2']);
    const last = site.nodes.get(`node${NODES - 1}`);
    expect(last?.tags).toEqual(['compute', 'base']);
    expect(last?.domain).toBe('example.com');
    expect(last?.platform.kernelParams.isolcpus).toBe('4-43');
    expect(last?.storage.volumeGroups[0]?.logicalVolumes).toHaveLength(1);
  });
});
