import { describe, expect, it } from 'vitest';
import type { BaremetalNode, Filesystem, Partition, PhysicalDevice, Storage, VolumeGroup } from '../../../src/design/model.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { storagePartitioning } from '../../../src/design/validators/storage-partitioning.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const fs = (mountpoint: string, fstype: string | null = 'ext4'): Filesystem => ({
  mountpoint, fstype, mountOptions: 'defaults', fsUuid: null, fsLabel: null,
});
const part = (name: string, over: Partial<Partition> = {}): Partition => ({
  name, size: '10g', bootable: false, partUuid: null, volumeGroup: null, labels: {}, filesystem: null, ...over,
});
const disk = (name: string, partitions: Partition[], volumeGroup: string | null = null): PhysicalDevice => ({
  name, labels: {}, volumeGroup, partitions,
});
const vg = (name: string): VolumeGroup => ({ name, vgUuid: null, logicalVolumes: [{ name: `${name}_lv`, size: '500m', lvUuid: null, filesystem: null }] });
const node = (name: string, storage: Storage) => makeNode(name, { storage });
const standard = (): Storage => ({
  physicalDevices: [
    disk('sda', [part('root', { size: '20g', filesystem: fs('/') }), part('boot', { size: '1g', filesystem: fs('/boot') })]),
    disk('sdb', [], 'log_vg'),
  ],
  volumeGroups: [vg('log_vg')],
});
const run = (...nodes: BaremetalNode[]) => executeRule(storagePartitioning, siteOf({ nodes }), ctx);
const error = (n: string, message: string, diagnostic: string) => ({
  kind: 'ValidationMessage',
  name: 'DD2002',
  message: `Storage Partitioning: ${message}`,
  error: true,
  level: 'Error',
  documents: [{ schema: 'drydock/BaremetalNode/v1', name: n }],
  diagnostic,
});
const eitherOr = (n: string) =>
  error(
    n,
    'Either a volume group OR partitions must be defined for each storage device.',
    'A storage device must be used for exactly one of a volume group physical volume or carved into partitions.',
  );
const both = (n: string) =>
  error(
    n,
    'Both a volume group AND file system cannot be defined in a single partition',
    'A partition can be used for only one of a volume group physical volume or formatted as a filesystem.',
  );
const unassigned = (n: string, group: string) =>
  error(
    n,
    `Volume group ${group} not assigned any physical volumes`,
    'Each volume group should be assigned at least one storage device or partition as a physical volume.',
  );

describe('Storage Partitioning (DD2002)', () => {
  it('passes partitioned disks and a disk backing a volume group', () => {
    expect(run(node('n1', standard()))).toEqual([
      { kind: 'ValidationMessage', name: 'DD2002', message: 'Storage Partitioning: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' },
    ]);
  });

  it('passes a partition left unformatted and unassigned', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('raw')])], volumeGroups: [] };
    expect(run(node('n1', storage))[0]?.level).toBe('Info');
  });

  it('flags a disk with neither partitions nor a volume group', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [])], volumeGroups: [] };
    expect(run(node('n1', storage))).toEqual([eitherOr('n1')]);
  });

  it('flags a disk with both partitions and a volume group', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('raw')], 'data')], volumeGroups: [vg('data')] };
    expect(run(node('n1', storage))).toEqual([eitherOr('n1')]);
  });

  it('flags a partition that is both a physical volume and a filesystem', () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('pv', { volumeGroup: 'data', filesystem: fs('/data') })])],
      volumeGroups: [vg('data')],
    };
    expect(run(node('n1', storage))).toEqual([both('n1')]);
  });

  it('treats a filesystem without an fstype as ext4, as Drydock defaults it', () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('pv', { volumeGroup: 'data', filesystem: fs('/data', null) })])],
      volumeGroups: [vg('data')],
    };
    expect(run(node('n1', storage))).toEqual([both('n1')]);
  });

  it('flags a volume group no disk or partition backs, on every node', () => {
    const storage = (): Storage => ({
      physicalDevices: [disk('sda', [part('root', { filesystem: fs('/') })]), disk('sdb', [], 'failure')],
      volumeGroups: [vg('log_vg')],
    });
    expect(run(node('n1', storage()), node('n2', storage()))).toEqual([unassigned('n1', 'log_vg'), unassigned('n2', 'log_vg')]);
  });

  it('counts a volume group backed by a partition as assigned, which Drydock did not', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('pv', { volumeGroup: 'data' })])], volumeGroups: [vg('data')] };
    expect(run(node('n1', storage))[0]?.level).toBe('Info');
  });

  it("does not count another node's physical volumes, which Drydock did", () => {
    const backed: Storage = { physicalDevices: [disk('sdb', [], 'data')], volumeGroups: [vg('data')] };
    const unbacked: Storage = { physicalDevices: [disk('sda', [part('raw')])], volumeGroups: [vg('data')] };
    expect(run(node('n1', backed), node('n2', unbacked))).toEqual([unassigned('n2', 'data')]);
  });
});
