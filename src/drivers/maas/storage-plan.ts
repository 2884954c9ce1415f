import type { BaremetalNode, Filesystem, LogicalVolume, Partition, PhysicalDevice } from '../../design/model.ts';
import { InvalidSizeFormat, parseSize, type SizeSpec } from '../../design/sizes.ts';

/** The fields of MAAS's block device document the storage action reads. */
export interface MaasBlockDevice {
  id: number;
  name: string;
  size: number;
  available_size: number;
  used_size?: number;
  filesystem?: unknown;
  partitions?: Array<{ id: number; size: number }>;
}

/** The machine document's storage fields (MAAS embeds every block device and volume group). */
export interface MaasStorageDoc {
  system_id: string;
  bios_boot_method?: string | null;
  architecture?: string;
  boot_disk?: { id: number } | null;
  physicalblockdevice_set?: MaasBlockDevice[];
  volume_groups?: Array<{ id: number; name: string; size: number; available_size: number }>;
}

export interface PlannedFs {
  fstype: string;
  label: string | null;
  uuid: string | null;
  mountPoint: string;
  mountOptions: string | null;
}

export interface PlannedPartition {
  /** `<device>/<partition>` as the design names them. */
  key: string;
  deviceId: number;
  /** MAAS's name of the device. */
  deviceName: string;
  size: SizeSpec;
  bootable: boolean;
  uuid: string | null;
  volumeGroup: string | null;
  fs: PlannedFs | null;
}

export interface PlannedVolume {
  name: string;
  size: SizeSpec;
  uuid: string | null;
  fs: PlannedFs | null;
}

export interface PlannedGroup {
  name: string;
  uuid: string | null;
  blockDevices: number[];
  /** Keys of planned partitions. */
  partitions: string[];
  /** The group MAAS's lvm layout makes (the root volume's); only its other volumes are created. */
  madeByLayout: boolean;
  volumes: PlannedVolume[];
}

/** Where root goes: MAAS's flat or lvm layout on the root device, which is also made the boot disk. */
export interface PlannedLayout {
  type: 'flat' | 'lvm';
  deviceId: number;
  deviceName: string;
  /** flat: the root partition; lvm: the partition MAAS makes the volume group's physical volume (null: the rest of the device). */
  rootSize: SizeSpec | null;
  bootSize: SizeSpec | null;
  /** lvm only. */
  vgName?: string;
  lvName?: string;
  lvSize?: SizeSpec;
}

export interface StoragePlan {
  layout: PlannedLayout;
  partitions: PlannedPartition[];
  groups: PlannedGroup[];
}

export class StoragePlanError extends Error {
  override name = 'StoragePlanError';
}

/**
 * Drydock's filesystem rule: only a filesystem with a mountpoint is
 * formatted and mounted (a design's swap has mountpoint `none`).
 */
function fsOf(f: Filesystem | null): PlannedFs | null {
  if (!f?.mountpoint) return null;
  return { fstype: f.fstype ?? 'ext4', label: f.fsLabel, uuid: f.fsUuid, mountPoint: f.mountpoint, mountOptions: f.mountOptions };
}

const isSys = (f: Filesystem | null) => f?.mountpoint === '/' || f?.mountpoint === '/boot';

/**
 * The storage of `node` as MAAS calls: which MAAS device each design device
 * is (the lshw logical name of its hardware profile alias: `logicalName`,
 * else its name as written), MAAS's layout for root and boot, then every other
 * partition, volume group and logical volume. Pure: throws
 * StoragePlanError naming the node and what is wrong, before MAAS is touched.
 */
export function planStorage(node: BaremetalNode, doc: MaasStorageDoc, logicalName: (alias: string) => string | null): StoragePlan {
  const fail = (what: string): never => {
    throw new StoragePlanError(`node ${node.name}: ${what}`);
  };
  const size = (text: string | null, what: string): SizeSpec => {
    if (text === null) return fail(`${what} has no size`);
    try {
      return parseSize(text);
    } catch (err) {
      return fail(`${what}: ${err instanceof InvalidSizeFormat ? err.message : String(err)}`);
    }
  };
  const devices = doc.physicalblockdevice_set ?? [];
  // Drydock's get_logicalname: an alias the commissioning lshw resolves wins over the name as written.
  const deviceOf = (d: PhysicalDevice): MaasBlockDevice => {
    const alias = logicalName(d.name);
    const found = devices.find((b) => b.name === (alias ?? d.name));
    if (found) return found;
    const known = devices.map((b) => b.name).join(', ') || 'none';
    return fail(`storage device ${d.name}${alias ? ` (${alias} by its hardware profile alias)` : ''} not found in MAAS (${doc.system_id} has ${known})`);
  };
  const resolved = new Map(node.storage.physicalDevices.map((d) => [d.name, deviceOf(d)] as const));
  const groups = new Map(node.storage.volumeGroups.map((g) => [g.name, g] as const));
  const pvsOf = (vg: string) => node.storage.physicalDevices.flatMap((d) => [
    ...(d.volumeGroup === vg ? [{ device: d, partition: null as Partition | null }] : []),
    ...d.partitions.filter((p) => p.volumeGroup === vg).map((p) => ({ device: d, partition: p as Partition | null })),
  ]);
  for (const d of node.storage.physicalDevices) {
    for (const vg of [d.volumeGroup, ...d.partitions.map((p) => p.volumeGroup)]) {
      if (vg && !groups.has(vg)) fail(`volume group ${vg} (on ${d.name}) is not in the design`);
    }
  }

  // Drydock's find_fs_block_device: logical volumes first, then partitions.
  const find = (mount: string) => {
    for (const g of node.storage.volumeGroups) {
      const lv = g.logicalVolumes.find((v) => v.filesystem?.mountpoint === mount);
      if (lv) return { group: g.name, lv, device: null, partition: null };
    }
    for (const d of node.storage.physicalDevices) {
      const p = d.partitions.find((x) => x.filesystem?.mountpoint === mount);
      if (p) return { group: null, lv: null as LogicalVolume | null, device: d, partition: p };
    }
    return null;
  };
  const root = find('/');
  const boot = find('/boot');
  if (!root) return fail('the storage design has no filesystem mounted at / (MAAS needs a root to lay out)');
  const bootSize = boot ? size((boot.partition ?? boot.lv)!.size, `/boot (${(boot.partition ?? boot.lv)!.name})`) : null;
  let layout: PlannedLayout;
  let rootPv: Partition | null = null;
  if (root.partition && root.device) {
    const dev = resolved.get(root.device.name)!;
    layout = { type: 'flat', deviceId: dev.id, deviceName: dev.name, rootSize: size(root.partition.size, `root partition ${root.partition.name}`), bootSize };
  } else {
    const pvs = pvsOf(root.group!);
    if (pvs.length !== 1) fail(`the root logical volume's volume group ${root.group} must have exactly one physical volume (it has ${pvs.length})`);
    const pv = pvs[0]!;
    rootPv = pv.partition;
    layout = {
      type: 'lvm', deviceId: resolved.get(pv.device.name)!.id, deviceName: resolved.get(pv.device.name)!.name, bootSize,
      rootSize: pv.partition ? size(pv.partition.size, `partition ${pv.device.name}/${pv.partition.name}`) : null,
      vgName: root.group!, lvName: root.lv!.name, lvSize: size(root.lv!.size, `root logical volume ${root.lv!.name}`),
    };
  }

  const partitions: PlannedPartition[] = [];
  const plannedGroups: PlannedGroup[] = node.storage.volumeGroups.map((g) => ({
    name: g.name, uuid: g.vgUuid, blockDevices: [], partitions: [], madeByLayout: layout.type === 'lvm' && g.name === layout.vgName,
    volumes: g.logicalVolumes.filter((v) => !isSys(v.filesystem))
      .map((v) => ({ name: v.name, size: size(v.size, `logical volume ${g.name}/${v.name}`), uuid: v.lvUuid, fs: fsOf(v.filesystem) })),
  }));
  const group = (name: string) => plannedGroups.find((g) => g.name === name)!;
  for (const d of node.storage.physicalDevices) {
    const dev = resolved.get(d.name)!;
    if (d.volumeGroup) {
      // A whole device in a group holds no partitions of its own.
      if (!group(d.volumeGroup).madeByLayout) group(d.volumeGroup).blockDevices.push(dev.id);
      continue;
    }
    for (const p of d.partitions) {
      if (isSys(p.filesystem) || p === rootPv) continue;
      const key = `${d.name}/${p.name}`;
      partitions.push({ key, deviceId: dev.id, deviceName: dev.name, size: size(p.size, `partition ${key}`), bootable: p.bootable, uuid: p.partUuid,
        volumeGroup: p.volumeGroup, fs: p.volumeGroup ? null : fsOf(p.filesystem) });
      if (p.volumeGroup) group(p.volumeGroup).partitions.push(key);
    }
  }
  // Drydock skips a group without physical volumes with a warning, dropping
  // its volumes unseen; one that has volumes to make is an error here.
  const unbacked = plannedGroups.filter((g) => !g.madeByLayout && g.blockDevices.length + g.partitions.length === 0);
  const lost = unbacked.find((g) => g.volumes.length > 0);
  if (lost) fail(`volume group ${lost.name} has logical volumes but no physical volume (no device or partition names it)`);
  return { layout, partitions, groups: plannedGroups.filter((g) => !unbacked.includes(g)) };
}
