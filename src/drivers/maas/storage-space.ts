import type { SizeContext } from '../../design/sizes.ts';
import type { MaasBlockDevice, MaasStorageDoc } from './storage-plan.ts';

/**
 * MAAS's storage arithmetic, for checking a plan before anything is written
 * (canonical/maas src/maasserver/models/partitiontable.py, partition.py,
 * filesystemgroup.py): partitions and logical volumes are rounded down to
 * 4 MiB, a partition table takes some MiB of its device, a volume group
 * keeps one 4 MiB extent per physical volume for LVM headers. What MAAS
 * answers is used once it has answered; this is only the forecast.
 */
export const MIB = 1024 * 1024;
export const LVM_EXTENT = 4 * MIB;
export const EFI_PARTITION_SIZE = 512 * MIB;
// The most a table takes (4 MiB ahead, 1 MiB behind, an 8 MiB ppc64el prep partition).
const MAX_TABLE_OVERHEAD = 13 * MIB;

export const alignDown = (size: number) => Math.floor(size / LVM_EXTENT) * LVM_EXTENT;

export function groupSize(pvSizes: number[]): number {
  const extents = Math.floor(pvSizes.reduce((n, s) => n + s, 0) / LVM_EXTENT);
  return Math.max(0, (extents - pvSizes.length) * LVM_EXTENT);
}

/**
 * A partition table's overhead on this machine, read from MAAS's own
 * numbers: a partitioned device's used size less its partitions, else an
 * empty device's size less what it has available; else the most MAAS takes.
 */
function tableOverhead(devices: MaasBlockDevice[]): number {
  for (const d of devices) {
    if (d.filesystem || typeof d.used_size !== 'number') continue;
    const parts = d.partitions ?? [];
    if (parts.length) return d.used_size - parts.reduce((n, p) => n + p.size, 0);
  }
  const empty = devices.find((d) => !d.filesystem && (d.partitions ?? []).length === 0 && d.available_size > 0);
  return empty ? empty.size - empty.available_size : MAX_TABLE_OVERHEAD;
}

/** Every device's space once the layout has cleared the machine's storage. */
export function clearedSpaces(doc: MaasStorageDoc): Map<number, SizeContext> {
  const devices = doc.physicalblockdevice_set ?? [];
  const overhead = tableOverhead(devices);
  const empty = (d: MaasBlockDevice) => !d.filesystem && (d.partitions ?? []).length === 0;
  return new Map(devices.map((d) => [d.id, {
    size: d.size,
    available: empty(d) ? d.available_size : Math.max(0, alignDown(d.size - overhead)),
  }]));
}

export const efiSizeOf = (doc: MaasStorageDoc) => (doc.bios_boot_method === 'uefi' && !doc.architecture?.startsWith('ppc64el') ? EFI_PARTITION_SIZE : 0);
