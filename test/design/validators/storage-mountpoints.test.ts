import { describe, expect, it } from 'vitest';
import type { BaremetalNode, Filesystem, LogicalVolume, Partition, PhysicalDevice, Storage, VolumeGroup } from '../../../src/design/model.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { storageMountpoints } from '../../../src/design/validators/storage-mountpoints.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const fs = (mountpoint: string): Filesystem => ({ mountpoint, fstype: 'ext4', mountOptions: 'defaults', fsUuid: null, fsLabel: null });
const part = (name: string, mountpoint?: string, volumeGroup: string | null = null): Partition => ({
  name, size: '10g', bootable: false, partUuid: null, volumeGroup, labels: {}, filesystem: mountpoint ? fs(mountpoint) : null,
});
const disk = (name: string, partitions: Partition[], volumeGroup: string | null = null): PhysicalDevice => ({
  name, labels: {}, volumeGroup, partitions,
});
const lv = (name: string, mountpoint?: string): LogicalVolume => ({ name, size: '10g', lvUuid: null, filesystem: mountpoint ? fs(mountpoint) : null });
const vg = (name: string, logicalVolumes: LogicalVolume[]): VolumeGroup => ({ name, vgUuid: null, logicalVolumes });
const node = (name: string, storage: Storage) => makeNode(name, { storage });
const run = (...nodes: BaremetalNode[]) => executeRule(storageMountpoints, siteOf({ nodes }), ctx);
const duplicate = (n: string, mountpoint: string) => ({
  kind: 'ValidationMessage',
  name: 'DD2004',
  message: `Storage Mountpoint: Mountpoint "${mountpoint}" already exists`,
  error: true,
  level: 'Error',
  documents: [{ schema: 'drydock/BaremetalNode/v1', name: n }],
  diagnostic: 'Please use unique mountpoints.',
});
const SUCCESS = { kind: 'ValidationMessage', name: 'DD2004', message: 'Storage Mountpoint: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' };

describe('Storage Mountpoint (DD2004)', () => {
  it('passes distinct mountpoints on partitions and logical volumes', () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('root', '/'), part('boot', '/boot')]), disk('sdb', [], 'log_vg')],
      volumeGroups: [vg('log_vg', [lv('log_lv', '/var/log')])],
    };
    expect(run(node('n1', storage))).toEqual([SUCCESS]);
  });

  it('passes partitions without mountpoints', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('a'), part('b')])], volumeGroups: [] };
    expect(run(node('n1', storage))).toEqual([SUCCESS]);
  });

  it('flags two partitions with one mountpoint', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('test', '/boot'), part('boot', '/boot')])], volumeGroups: [] };
    expect(run(node('n1', storage))).toEqual([duplicate('n1', '/boot')]);
  });

  it("flags a logical volume mounted where a partition is", () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('root', '/'), part('log', '/var/log')]), disk('sdb', [], 'log_vg')],
      volumeGroups: [vg('log_vg', [lv('log_lv', '/var/log')])],
    };
    expect(run(node('n1', storage))).toEqual([duplicate('n1', '/var/log')]);
  });

  it('reads a volume group spread over two disks once, where Drydock reported its mountpoints twice', () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('root', '/')]), disk('sdb', [], 'data'), disk('sdc', [], 'data')],
      volumeGroups: [vg('data', [lv('data_lv', '/data')])],
    };
    expect(run(node('n1', storage))).toEqual([SUCCESS]);
  });

  it('checks logical volumes of a group backed by a partition, which Drydock skipped', () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('root', '/'), part('pv', undefined, 'sys')])],
      volumeGroups: [vg('sys', [lv('var', '/')])],
    };
    expect(run(node('n1', storage))).toEqual([duplicate('n1', '/')]);
  });

  it('reports every duplicate on every node, where Drydock stopped at the first', () => {
    const storage = (): Storage => ({
      physicalDevices: [disk('sda', [part('a', '/'), part('b', '/'), part('c', '/srv'), part('d', '/srv')])],
      volumeGroups: [],
    });
    expect(run(node('n1', storage()), node('n2', storage()))).toEqual([
      duplicate('n1', '/'),
      duplicate('n1', '/srv'),
      duplicate('n2', '/'),
      duplicate('n2', '/srv'),
    ]);
  });

  it('ignores logical volumes of a group no disk or partition backs, as Drydock', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('root', '/')])], volumeGroups: [vg('orphan', [lv('x', '/')])] };
    expect(run(node('n1', storage))).toEqual([SUCCESS]);
  });

  it('does not compare mountpoints across nodes', () => {
    const storage = (): Storage => ({ physicalDevices: [disk('sda', [part('root', '/')])], volumeGroups: [] });
    expect(run(node('n1', storage()), node('n2', storage()))).toEqual([SUCCESS]);
  });
});
