import type { Filesystem, LogicalVolume, Partition, PhysicalDevice, VolumeGroup } from '../model.ts';
import { inheritField, mergeDicts, mergeKeyed } from './inherit.ts';
import type { DeviceLayer, FilesystemLayer, LogicalVolumeLayer, PartitionLayer, VolumeGroupLayer } from './layers.ts';
import { body, bool, isBody, list, str, strMap } from './values.ts';

function parseFilesystem(v: Record<string, unknown>): FilesystemLayer | null {
  if (!isBody(v.filesystem)) return null;
  const fs = v.filesystem;
  return {
    mountpoint: str(fs.mountpoint),
    fstype: str(fs.fstype),
    mountOptions: str(fs.mount_options),
    fsUuid: str(fs.fs_uuid),
    fsLabel: str(fs.fs_label),
  };
}

/**
 * Drydock reads a partition's volume group from a `vg` key the schema does
 * not have (so it was always lost), and `bootable` not at all; both are read
 * from their schema keys here. A device's `volume_group` and `partitions`
 * are both kept as written (Drydock drops the partitions); the storage
 * validators judge the combination.
 */
function parsePartition(raw: unknown): PartitionLayer {
  const v = body(raw);
  return {
    name: str(v.name) ?? '',
    size: str(v.size),
    bootable: bool(v.bootable),
    partUuid: str(v.part_uuid),
    volumeGroup: str(v.volume_group),
    labels: strMap(v.labels),
    filesystem: parseFilesystem(v),
  };
}

export function parseStorage(value: unknown): { physicalDevices: DeviceLayer[]; volumeGroups: VolumeGroupLayer[] } {
  const storage = body(value);
  const physicalDevices = Object.entries(body(storage.physical_devices)).map(([name, raw]): DeviceLayer => {
    const v = body(raw);
    const partitions = list(v.partitions).map(parsePartition);
    return { name, volumeGroup: str(v.volume_group), labels: strMap(v.labels), partitions };
  });
  const volumeGroups = Object.entries(body(storage.volume_groups)).map(([name, raw]): VolumeGroupLayer => {
    const v = body(raw);
    const logicalVolumes = list(v.logical_volumes).map((lvRaw): LogicalVolumeLayer => {
      const lv = body(lvRaw);
      return { name: str(lv.name) ?? '', size: str(lv.size), lvUuid: str(lv.lv_uuid), filesystem: parseFilesystem(lv) };
    });
    return { name, vgUuid: str(v.vg_uuid), logicalVolumes };
  });
  return { physicalDevices, volumeGroups };
}

/**
 * Filesystem fields inherit one by one. Drydock fills `ext4`/`defaults` at
 * ingest, so a child that restates a mountpoint resets an inherited fstype;
 * here the defaults apply only after merging (see finalFilesystem).
 */
function mergeFilesystem(child: FilesystemLayer | null, parent: FilesystemLayer | null): FilesystemLayer | null {
  if (child === null && parent === null) return null;
  const c = child, p = parent;
  return {
    mountpoint: inheritField(c?.mountpoint ?? null, p?.mountpoint ?? null),
    fstype: inheritField(c?.fstype ?? null, p?.fstype ?? null),
    mountOptions: inheritField(c?.mountOptions ?? null, p?.mountOptions ?? null),
    fsUuid: inheritField(c?.fsUuid ?? null, p?.fsUuid ?? null),
    fsLabel: inheritField(c?.fsLabel ?? null, p?.fsLabel ?? null),
  };
}

function mergePartition(c: PartitionLayer, p: PartitionLayer | null): PartitionLayer {
  return {
    name: c.name,
    size: inheritField(c.size, p?.size ?? null),
    bootable: inheritField(c.bootable, p?.bootable ?? null),
    partUuid: inheritField(c.partUuid, p?.partUuid ?? null),
    volumeGroup: inheritField(c.volumeGroup, p?.volumeGroup ?? null),
    labels: mergeDicts(c.labels, p?.labels ?? {}),
    filesystem: mergeFilesystem(c.filesystem, p?.filesystem ?? null),
  };
}

function mergeDevice(c: DeviceLayer, p: DeviceLayer | null): DeviceLayer {
  return {
    name: c.name,
    volumeGroup: inheritField(c.volumeGroup, p?.volumeGroup ?? null),
    labels: mergeDicts(c.labels, p?.labels ?? {}),
    partitions: mergeKeyed(c.partitions, p?.partitions ?? [], (x) => x.name, mergePartition),
  };
}

function mergeLogicalVolume(c: LogicalVolumeLayer, p: LogicalVolumeLayer | null): LogicalVolumeLayer {
  return {
    name: c.name,
    size: inheritField(c.size, p?.size ?? null),
    lvUuid: inheritField(c.lvUuid, p?.lvUuid ?? null),
    filesystem: mergeFilesystem(c.filesystem, p?.filesystem ?? null),
  };
}

/** Drydock stores a merged group's logical volumes under `partitions`, losing them; not here. */
function mergeVolumeGroup(c: VolumeGroupLayer, p: VolumeGroupLayer | null): VolumeGroupLayer {
  return {
    name: c.name,
    vgUuid: inheritField(c.vgUuid, p?.vgUuid ?? null),
    logicalVolumes: mergeKeyed(c.logicalVolumes, p?.logicalVolumes ?? [], (x) => x.name, mergeLogicalVolume),
  };
}

export function mergeDevices(child: readonly DeviceLayer[], parent: readonly DeviceLayer[]): readonly DeviceLayer[] {
  return mergeKeyed(child, parent, (d) => d.name, mergeDevice);
}

export function mergeVolumeGroups(
  child: readonly VolumeGroupLayer[],
  parent: readonly VolumeGroupLayer[],
): readonly VolumeGroupLayer[] {
  return mergeKeyed(child, parent, (g) => g.name, mergeVolumeGroup);
}

/** Drydock's filesystem defaults: ext4, mounted with `defaults`. */
function finalFilesystem(fs: FilesystemLayer | null): Filesystem | null {
  if (fs === null) return null;
  return { ...fs, fstype: fs.fstype ?? 'ext4', mountOptions: fs.mountOptions ?? 'defaults' };
}

function finalPartition(p: PartitionLayer): Partition {
  return { ...p, bootable: p.bootable ?? false, labels: { ...p.labels }, filesystem: finalFilesystem(p.filesystem) };
}

export function finalDevice(d: DeviceLayer): PhysicalDevice {
  const partitions = d.partitions.map(finalPartition);
  return { name: d.name, labels: { ...d.labels }, volumeGroup: d.volumeGroup, partitions };
}

export function finalVolumeGroup(g: VolumeGroupLayer): VolumeGroup {
  const logicalVolumes = g.logicalVolumes.map(
    (lv): LogicalVolume => ({
      name: lv.name,
      size: lv.size,
      lvUuid: lv.lvUuid,
      filesystem: finalFilesystem(lv.filesystem),
    }),
  );
  return { name: g.name, vgUuid: g.vgUuid, logicalVolumes };
}
