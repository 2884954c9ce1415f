import { describe, expect, it } from 'vitest';
import type { Filesystem, Partition, Storage } from '../../../src/design/model.ts';
import { logicalNameOf } from '../../../src/drivers/maas/lshw.ts';
import { applyPlan } from '../../../src/drivers/maas/storage-apply.ts';
import { dryRunWriter } from '../../../src/drivers/maas/storage-dry-run.ts';
import { planStorage, type MaasStorageDoc } from '../../../src/drivers/maas/storage-plan.ts';
import { makeNode } from '../../helpers/site-model.ts';
import { IdSource, makeMachine } from '../../maas/model.ts';
import { lshwXml } from '../../maas/probe.ts';

// The storage plan and its forecast, without HTTP: a design and a machine document in, MAAS's calls (or a failure) out.

const GB = 1e9;
const MIB = 1024 * 1024;
const fs = (mountpoint: string): Filesystem => ({ mountpoint, fstype: 'ext4', mountOptions: null, fsUuid: null, fsLabel: null });
const part = (name: string, size: string, over: Partial<Partition> = {}): Partition =>
  ({ name, size, bootable: false, partUuid: null, volumeGroup: null, labels: {}, filesystem: null, ...over });
// An empty 100 GB and 50 GB disk as MAAS shows them (6 MiB of partition table overhead, 4 MiB alignment).
const doc = (over: Partial<MaasStorageDoc> = {}): MaasStorageDoc => ({
  system_id: 'abc123', bios_boot_method: 'pxe', architecture: 'amd64/generic', boot_disk: { id: 1 },
  physicalblockdevice_set: [
    { id: 1, name: 'sda', size: 100 * GB, available_size: 99_992_207_360, used_size: 0, partitions: [] },
    { id: 2, name: 'sdb', size: 50 * GB, available_size: 49_991_909_376, used_size: 0, partitions: [] },
  ],
  ...over,
});
const node = (storage: Storage) => makeNode('n1', { storage });
const rootOn = (device: string, more: Partition[] = []): Storage['physicalDevices'][number] =>
  ({ name: device, labels: {}, volumeGroup: null, partitions: [part('root', '30g', { filesystem: fs('/') }), ...more] });
const noAlias = () => null;

describe('lshw aliases (Drydock get_logicalname)', () => {
  const xml = lshwXml(makeMachine({ hostname: 'n1', mac: '52:54:00:00:00:01', disks: [{ name: 'sda', size: GB }, { name: 'nvme0n1', size: GB }] }, new IdSource(), 1, 0));
  it('finds the device at a bus address, by its last path part', () => {
    expect(logicalNameOf(xml, 'scsi', '1:0.0.0')).toBe('nvme0n1');
    expect(logicalNameOf(xml, 'scsi', '7:0.0.0')).toBeNull();
    expect(logicalNameOf(xml, 'pci', '0:0.0.0')).toBeNull();
  });
  it('matches a regexp: address', () => {
    expect(logicalNameOf(xml, 'scsi', 'regexp:[1-3]:0\\.0\\.0')).toBe('nvme0n1');
  });
});

describe('planStorage', () => {
  it('uses a device by its alias\'s logical name, else by its name as written', () => {
    const plan = planStorage(node({ physicalDevices: [rootOn('bootdisk'), { name: 'sdb', labels: {}, volumeGroup: null, partitions: [part('srv', '10g', { filesystem: fs('/srv') })] }], volumeGroups: [] }),
      doc(), (alias) => (alias === 'bootdisk' ? 'sda' : null));
    expect(plan.layout).toMatchObject({ type: 'flat', deviceId: 1 });
    expect(plan.partitions.map((p) => [p.key, p.deviceId])).toEqual([['sdb/srv', 2]]);
    // An alias wins over a name MAAS also has (Drydock's get_logicalname).
    const swapped = planStorage(node({ physicalDevices: [rootOn('sdb')], volumeGroups: [] }), doc(), (alias) => (alias === 'sdb' ? 'sda' : null));
    expect(swapped.layout.deviceName).toBe('sda');
  });
  it('fails without a root filesystem, for a volume group the design lacks, and for a root group over two volumes', () => {
    expect(() => planStorage(node({ physicalDevices: [{ name: 'sda', labels: {}, volumeGroup: null, partitions: [part('srv', '10g', { filesystem: fs('/srv') })] }], volumeGroups: [] }), doc(), noAlias))
      .toThrow('node n1: the storage design has no filesystem mounted at /');
    expect(() => planStorage(node({ physicalDevices: [rootOn('sda', [part('pv', '10g', { volumeGroup: 'vg9' })])], volumeGroups: [] }), doc(), noAlias))
      .toThrow('node n1: volume group vg9 (on sda) is not in the design');
    const twoPvs: Storage = {
      physicalDevices: [{ name: 'sda', labels: {}, volumeGroup: 'vgroot', partitions: [] }, { name: 'sdb', labels: {}, volumeGroup: 'vgroot', partitions: [] }],
      volumeGroups: [{ name: 'vgroot', vgUuid: null, logicalVolumes: [{ name: 'root', size: '30g', lvUuid: null, filesystem: fs('/') }] }],
    };
    expect(() => planStorage(node(twoPvs), doc(), noAlias)).toThrow('volume group vgroot must have exactly one physical volume (it has 2)');
  });
  it('sizes a % root on its device, where Drydock computes root and boot sizes without a device and so refuses % and >', async () => {
    const storage: Storage = { physicalDevices: [{ name: 'sda', labels: {}, volumeGroup: null, partitions: [part('root', '40%', { filesystem: fs('/') })] }], volumeGroups: [] };
    const w = dryRunWriter(doc());
    const calls: unknown[] = [];
    await applyPlan('n1', planStorage(node(storage), doc(), noAlias), { ...w, setLayout: async (form) => void calls.push(form) });
    expect(calls).toEqual([{ storage_layout: 'flat', root_device: 1, root_size: 40 * GB }]);
  });
});

describe('the forecast (dryRunWriter)', () => {
  it('refuses a partition after a > one on the same device, naming it, where Drydock fails half-way', async () => {
    const storage: Storage = { physicalDevices: [rootOn('sda'), { name: 'sdb', labels: {}, volumeGroup: null, partitions: [
      part('data', '>10g', { filesystem: fs('/data') }), part('srv', '1g', { filesystem: fs('/srv') }),
    ] }], volumeGroups: [] };
    await expect(applyPlan('n1', planStorage(node(storage), doc(), noAlias), dryRunWriter(doc())))
      .rejects.toThrow(/^node n1: partition sdb\/srv \(1GB\) does not fit on sdb: 1000000000 bytes wanted, 4194304 available$/);
  });
  it('leaves room for the EFI partition MAAS makes on a UEFI machine', async () => {
    const storage: Storage = { physicalDevices: [{ name: 'sda', labels: {}, volumeGroup: null, partitions: [part('root', '99500m', { filesystem: fs('/') })] }], volumeGroups: [] };
    await expect(applyPlan('n1', planStorage(node(storage), doc(), noAlias), dryRunWriter(doc())))
      .resolves.toHaveLength(1);
    const uefi = doc({ bios_boot_method: 'uefi' });
    await expect(applyPlan('n1', planStorage(node(storage), uefi, noAlias), dryRunWriter(uefi))).rejects.toThrow(/^node n1: \/ \(99500MB\) does not fit on sda/);
  });
  it('forecasts a device that had partitions as MAAS will leave it once cleared', () => {
    const used = doc();
    used.physicalblockdevice_set![0] = { id: 1, name: 'sda', size: 100 * GB, available_size: 0, used_size: 100 * GB - 2 * MIB, partitions: [{ id: 9, size: 100 * GB - 8 * MIB }] };
    expect(dryRunWriter(used).deviceSpace(1)).toEqual({ size: 100 * GB, available: 99_992_207_360 });
  });
});
