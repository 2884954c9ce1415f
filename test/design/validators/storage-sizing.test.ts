import { describe, expect, it } from 'vitest';
import type { BaremetalNode, LogicalVolume, Partition, PhysicalDevice, Storage, VolumeGroup } from '../../../src/design/model.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { storageSizing } from '../../../src/design/validators/storage-sizing.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const part = (name: string, size: string | null): Partition => ({
  name, size, bootable: false, partUuid: null, volumeGroup: null, labels: {}, filesystem: null,
});
const disk = (name: string, partitions: Partition[], volumeGroup: string | null = null): PhysicalDevice => ({
  name, labels: {}, volumeGroup, partitions,
});
const lv = (name: string, size: string | null): LogicalVolume => ({ name, size, lvUuid: null, filesystem: null });
const vg = (name: string, logicalVolumes: LogicalVolume[]): VolumeGroup => ({ name, vgUuid: null, logicalVolumes });
const node = (name: string, storage: Storage) => makeNode(name, { storage });
const run = (...nodes: BaremetalNode[]) => executeRule(storageSizing, siteOf({ nodes }), ctx);
const error = (n: string, message: string, diagnostic: string) => ({
  kind: 'ValidationMessage',
  name: 'DD2003',
  message: `Storage Sizing: ${message}`,
  error: true,
  level: 'Error',
  documents: [{ schema: 'drydock/BaremetalNode/v1', name: n }],
  diagnostic,
});
const SUM_HINT = 'Percentage-based sizes must sum to less than 100%.';
const FORMAT_HINT = 'Use a size such as 10g, 512mi, >20g or 30% (see Size Format in the topology docs).';
const partitionsOver = (n: string, device: string) =>
  error(n, `Cumulative partition sizes on device ${device} is greater than 99%.`, SUM_HINT);
const volumesOver = (n: string, group: string) =>
  error(n, `Cumulative logical volume size is greater than 99% in volume group ${group}`, SUM_HINT);
const withPartitions = (...partitions: Partition[]): Storage => ({ physicalDevices: [disk('sda', partitions)], volumeGroups: [] });
const withVolumes = (...groups: VolumeGroup[]): Storage => ({
  physicalDevices: groups.map((g, i) => disk(`sd${'bcdefg'[i]}`, [], g.name)),
  volumeGroups: groups,
});

describe('Storage Sizing (DD2003)', () => {
  it('passes percentages summing to at most 99% (Drydock storage_sizing.yaml)', () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('root', '39%'), part('boot', '42%')]), disk('sdb', [], 'log_vg')],
      volumeGroups: [vg('log_vg', [lv('log_lv', '25%')])],
    };
    expect(run(node('n1', storage))).toEqual([
      { kind: 'ValidationMessage', name: 'DD2003', message: 'Storage Sizing: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' },
    ]);
  });

  it('leaves absolute sizes out of the sum', () => {
    expect(run(node('n1', withPartitions(part('a', '99%'), part('b', '500g'))))[0]?.level).toBe('Info');
  });

  it("flags a device's partitions over 99% once, where Drydock repeated it per later partition", () => {
    expect(run(node('n1', withPartitions(part('test', '100%'), part('boot', '500m'))))).toEqual([partitionsOver('n1', 'sda')]);
  });

  it('flags a negative partition size', () => {
    expect(run(node('n1', withPartitions(part('data', '-5%'))))).toEqual([
      error('n1', 'Storage partition data on device sda size is < 0', 'Partition size must be a positive number.'),
    ]);
  });

  it('flags a negative logical volume size, with a diagnostic Drydock left empty', () => {
    expect(run(node('n1', withVolumes(vg('log_vg', [lv('log_lv', '-77%')]))))).toEqual([
      error('n1', 'Logical Volume log_lv size is < 0', 'Logical volume size must be a positive number.'),
    ]);
  });

  it("flags a volume group's logical volumes over 99%", () => {
    expect(run(node('n1', withVolumes(vg('data', [lv('a', '60%'), lv('b', '40%')]))))).toEqual([volumesOver('n1', 'data')]);
  });

  it('sums each volume group on its own, where Drydock carried one sum across groups', () => {
    const storage = withVolumes(vg('one', [lv('a', '60%')]), vg('two', [lv('b', '60%')]));
    expect(run(node('n1', storage))[0]?.level).toBe('Info');
  });

  it('checks each volume group once, where Drydock repeated it for every physical device', () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('root', '20g')]), disk('sdb', [], 'data'), disk('sdc', [], 'data')],
      volumeGroups: [vg('data', [lv('big', '150%')])],
    };
    expect(run(node('n1', storage))).toEqual([volumesOver('n1', 'data')]);
  });

  it('counts a minimum percentage (>50%) as its percentage, where Drydock crashed', () => {
    expect(run(node('n1', withPartitions(part('a', '>50%'), part('b', '50%'))))).toEqual([partitionsOver('n1', 'sda')]);
  });

  it('flags malformed and missing sizes, on which Drydock crashed or deploys failed', () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('a', 'x%'), part('b', '10 g'), part('c', null)]), disk('sdb', [], 'data')],
      volumeGroups: [vg('data', [lv('d', '1.5%'), lv('e', null)])],
    };
    expect(run(node('n1', storage))).toEqual([
      error('n1', 'Storage partition a on device sda has an invalid size format: x%', FORMAT_HINT),
      error('n1', 'Storage partition b on device sda has an invalid size format: 10 g', FORMAT_HINT),
      error('n1', 'Storage partition c on device sda has no size', FORMAT_HINT),
      error('n1', 'Logical Volume d has an invalid size format: 1.5%', FORMAT_HINT),
      error('n1', 'Logical Volume e has no size', FORMAT_HINT),
    ]);
  });

  it('reports each node in site order (Drydock invalid_validation.yaml layout)', () => {
    const storage = (): Storage => ({
      physicalDevices: [disk('sda', [part('test', '100%'), part('boot', '500m')]), disk('sdb', [], 'failure')],
      volumeGroups: [vg('log_vg', [lv('log_lv', '-77%')])],
    });
    const negative = (n: string) => error(n, 'Logical Volume log_lv size is < 0', 'Logical volume size must be a positive number.');
    expect(run(node('controller01', storage()), node('bad__name', storage()))).toEqual([
      partitionsOver('controller01', 'sda'),
      negative('controller01'),
      partitionsOver('bad__name', 'sda'),
      negative('bad__name'),
    ]);
  });
});
