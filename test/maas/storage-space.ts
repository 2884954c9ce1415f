import type { SimBlockDevice, SimMachine, SimVolumeGroup } from './model.ts';

/**
 * MAAS's storage arithmetic (canonical/maas src/maasserver/models/
 * partitiontable.py, partition.py, filesystemgroup.py, virtualblockdevice.py):
 * a partition table takes 4 MiB at the start and 1 MiB at the end, plus a
 * 1 MiB bios_grub partition on an amd64 machine that does not boot UEFI
 * (the simulator's machines boot pxe); partitions and logical volumes are
 * rounded down to 4 MiB; a volume group keeps one 4 MiB extent per physical
 * volume for LVM headers.
 */
export const MIB = 1024 * 1024;
export const ALIGNMENT = 4 * MIB;
export const MIN_PARTITION_SIZE = ALIGNMENT;
export const EFI_PARTITION_SIZE = 512 * MIB;
export const MIN_BOOT_PARTITION_SIZE = 512 * MIB;
export const MIN_ROOT_PARTITION_SIZE = 3 * 1024 * MIB;

export const alignDown = (size: number) => Math.floor(size / ALIGNMENT) * ALIGNMENT;

export function tableOverhead(m: SimMachine): number {
  const grub = m.architecture.startsWith('amd64') ? MIB : 0;
  return 4 * MIB + MIB + grub;
}

const partitioned = (d: SimBlockDevice) => d.partitionTableType !== null || d.partitions.length > 0;

/** BlockDevice.get_used_size: all of it when formatted, else the partitions and the table's overhead. */
export function usedOf(m: SimMachine, d: SimBlockDevice): number {
  if (d.filesystem) return d.size;
  return partitioned(d) ? d.partitions.reduce((n, p) => n + p.size, 0) + tableOverhead(m) : 0;
}

/** BlockDevice.get_available_size: what a new partition can take (an unpartitioned device counts its future table). */
export function availableOf(m: SimMachine, d: SimBlockDevice): number {
  if (d.filesystem) return 0;
  const used = d.partitions.reduce((n, p) => n + p.size, 0) + tableOverhead(m);
  return Math.max(0, alignDown(d.size - used));
}

/** FilesystemGroup.get_lvm_size. */
export function vgSize(m: SimMachine, vg: SimVolumeGroup): number {
  const disks = m.blockDevices.filter((d) => vg.blockDeviceIds.includes(d.id)).map((d) => d.size);
  const parts = m.blockDevices.flatMap((d) => d.partitions).filter((p) => vg.partitionIds.includes(p.id)).map((p) => p.size);
  const pvs = [...disks, ...parts];
  const extents = Math.floor(pvs.reduce((n, s) => n + s, 0) / ALIGNMENT);
  return pvs.length ? Math.max(0, (extents - pvs.length) * ALIGNMENT) : 0;
}

export const vgFree = (m: SimMachine, vg: SimVolumeGroup) => vgSize(m, vg) - vg.logicalVolumes.reduce((n, lv) => n + lv.size, 0);
