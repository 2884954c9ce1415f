import { describe, expect, it } from 'vitest';
import { compileClean, hostProfile, node, nodeOf } from './builders.ts';

const base = hostProfile('base', {
  storage: {
    physical_devices: {
      sda: {
        labels: { bootdrive: 'true' },
        partitions: [
          { name: 'root', size: '20g', bootable: true, filesystem: { mountpoint: '/', fstype: 'xfs' } },
          { name: 'boot', size: '1g', filesystem: { mountpoint: '/boot' } },
          { name: 'var', size: '>100g', filesystem: { mountpoint: '/var' } },
        ],
      },
      sdb: { volume_group: 'log_vg' },
      sdc: { volume_group: 'data_vg' },
    },
    volume_groups: {
      log_vg: {
        vg_uuid: 'vg-1',
        logical_volumes: [
          { name: 'log_lv', size: '500m', filesystem: { mountpoint: '/var/log', fstype: 'xfs' } },
          { name: 'audit_lv', size: '1g', filesystem: { mountpoint: '/var/log/audit' } },
        ],
      },
      data_vg: { logical_volumes: [{ name: 'data_lv', size: '100%' }] },
    },
  },
});

describe('storage', () => {
  it('maps physical devices in document order with partitions, filesystems and their defaults', () => {
    const site = compileClean(base);
    const storage = site.hostProfiles.get('base')?.storage;
    expect(storage?.physicalDevices.map((d) => d.name)).toEqual(['sda', 'sdb', 'sdc']);
    expect(storage?.physicalDevices[0]?.labels).toEqual({ bootdrive: 'true' });
    expect(storage?.physicalDevices[0]?.partitions[0]).toEqual({
      name: 'root',
      size: '20g',
      bootable: true,
      partUuid: null,
      volumeGroup: null,
      labels: {},
      filesystem: { mountpoint: '/', fstype: 'xfs', mountOptions: 'defaults', fsUuid: null, fsLabel: null },
    });
    expect(storage?.physicalDevices[0]?.partitions[1]?.filesystem?.fstype).toBe('ext4');
    expect(storage?.physicalDevices[0]?.partitions[1]?.bootable).toBe(false);
    expect(storage?.physicalDevices[1]).toEqual({ name: 'sdb', labels: {}, volumeGroup: 'log_vg', partitions: [] });
    expect(storage?.volumeGroups.map((g) => g.name)).toEqual(['log_vg', 'data_vg']);
    expect(storage?.volumeGroups[0]?.logicalVolumes[0]).toEqual({
      name: 'log_lv',
      size: '500m',
      lvUuid: null,
      filesystem: { mountpoint: '/var/log', fstype: 'xfs', mountOptions: 'defaults', fsUuid: null, fsLabel: null },
    });
  });

  it("reads a partition's volume_group from its schema key (Drydock read `vg` and lost it)", () => {
    const site = compileClean(
      hostProfile('p', { storage: { physical_devices: { sda: { partitions: [{ name: 'pv1', size: '10g', volume_group: 'vg0' }] } } } }),
    );
    expect(site.hostProfiles.get('p')?.storage.physicalDevices[0]?.partitions[0]?.volumeGroup).toBe('vg0');
  });

  it('merges partitions by name and keeps every unmatched parent partition (Drydock kept only the last)', () => {
    const site = compileClean(
      base,
      node('n1', {
        host_profile: 'base',
        storage: {
          physical_devices: {
            sda: {
              partitions: [
                { name: 'root', size: '30g', filesystem: { mountpoint: '/' } },
                { name: '!var' },
                { name: 'tmp', size: '5g' },
              ],
            },
          },
        },
      }),
    );
    const sda = nodeOf(site, 'n1').storage.physicalDevices[0];
    expect(sda?.labels).toEqual({ bootdrive: 'true' });
    expect(sda?.partitions.map((p) => p.name)).toEqual(['root', 'boot', 'tmp']);
    expect(sda?.partitions[0]).toMatchObject({ size: '30g', bootable: true, filesystem: { mountpoint: '/', fstype: 'xfs' } });
  });

  it('removes a physical device named with ! and merges one of the same name', () => {
    const site = compileClean(
      base,
      node('n1', { host_profile: 'base', storage: { physical_devices: { '!sdc': {}, sdb: { labels: { ssd: 'yes' } } } } }),
    );
    const devices = nodeOf(site, 'n1').storage.physicalDevices;
    expect(devices.map((d) => d.name)).toEqual(['sda', 'sdb']);
    expect(devices[1]).toMatchObject({ volumeGroup: 'log_vg', labels: { ssd: 'yes' } });
  });

  it('merges volume groups by name and keeps their logical volumes (Drydock assigned them to `partitions`)', () => {
    const site = compileClean(
      base,
      node('n1', {
        host_profile: 'base',
        storage: {
          volume_groups: {
            log_vg: {
              logical_volumes: [{ name: '!audit_lv' }, { name: 'log_lv', size: '2g' }, { name: 'journal_lv', size: '1g' }],
            },
            '!data_vg': {},
          },
        },
      }),
    );
    const groups = nodeOf(site, 'n1').storage.volumeGroups;
    expect(groups.map((g) => g.name)).toEqual(['log_vg']);
    expect(groups[0]?.vgUuid).toBe('vg-1');
    expect(groups[0]?.logicalVolumes.map((lv) => [lv.name, lv.size])).toEqual([
      ['log_lv', '2g'],
      ['journal_lv', '1g'],
    ]);
    expect(groups[0]?.logicalVolumes[0]?.filesystem).toMatchObject({ mountpoint: '/var/log', fstype: 'xfs' });
  });

  it('inherits filesystem fields one by one, so restating a mountpoint keeps the inherited fstype', () => {
    const site = compileClean(
      base,
      node('n1', {
        host_profile: 'base',
        storage: { physical_devices: { sda: { partitions: [{ name: 'root', filesystem: { mountpoint: '/' } }] } } },
      }),
    );
    expect(nodeOf(site, 'n1').storage.physicalDevices[0]?.partitions[0]?.filesystem?.fstype).toBe('xfs');
  });
});
