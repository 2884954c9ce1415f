import { calculateBytes, NotEnoughStorage, type SizeContext, type SizeSpec } from '../../design/sizes.ts';
import type { Form } from './client.ts';
import { StoragePlanError, type PlannedFs, type StoragePlan } from './storage-plan.ts';
import { LVM_EXTENT, alignDown } from './storage-space.ts';

/** A partition (partitionId) or a whole block device / logical volume. */
export interface StorageTarget {
  deviceId: number;
  partitionId?: number;
}

/**
 * What carrying out a plan needs of MAAS: the live client (storage.ts), or
 * a dry run that follows MAAS's arithmetic (storage-space.ts) so that a
 * plan that cannot fit fails before anything is written.
 */
export interface StorageWriter {
  /** The device's space now; before the layout, what it will have once MAAS has cleared it. */
  deviceSpace(deviceId: number): SizeContext;
  /** Bytes MAAS keeps for an EFI partition on the boot disk (0 unless the machine boots UEFI). */
  readonly efiSize: number;
  setBootDisk(deviceId: number): Promise<void>;
  setLayout(form: Form): Promise<void>;
  createPartition(deviceId: number, form: Form): Promise<number>;
  /** A volume group that exists (the lvm layout's), by name. */
  groupNamed(name: string): number | null;
  createGroup(form: Form): Promise<number>;
  groupSpace(groupId: number): SizeContext;
  /** Answers the logical volume's block device id. */
  createVolume(groupId: number, form: Form): Promise<number>;
  format(target: StorageTarget, fs: PlannedFs): Promise<void>;
  mount(target: StorageTarget, fs: PlannedFs): Promise<void>;
}

const sizeText = (s: SizeSpec) => `${s.minimum ? '>' : ''}${s.amount}${s.unit}`;

/**
 * Carries out a plan in Drydock's order: boot disk, MAAS's layout for root
 * and boot (which clears the machine's storage first), the partitions of
 * every device, then the volume groups and their logical volumes, each
 * formatted and mounted when it has a mountpoint. Sizes are computed as
 * Drydock does (design/sizes calculateBytes) against the space MAAS has
 * left at that moment. Answers a line per thing made.
 */
export async function applyPlan(node: string, plan: StoragePlan, w: StorageWriter): Promise<string[]> {
  const done: string[] = [];
  const bytes = (spec: SizeSpec, space: SizeContext, what: string, where: string): number => {
    try {
      return calculateBytes(spec, space);
    } catch (err) {
      if (!(err instanceof NotEnoughStorage)) throw err;
      throw new StoragePlanError(`node ${node}: ${what} (${sizeText(spec)}) does not fit on ${where}: ${err.message}`);
    }
  };
  const { layout } = plan;
  const rootDevice = w.deviceSpace(layout.deviceId);
  const left = { size: rootDevice.size, available: rootDevice.available - w.efiSize };
  const form: Form = { storage_layout: layout.type, root_device: layout.deviceId };
  const where = layout.deviceName;
  if (layout.bootSize) {
    form['boot_size'] = bytes(layout.bootSize, left, '/boot', where);
    left.available -= alignDown(form['boot_size'] as number);
  }
  if (layout.rootSize) form['root_size'] = bytes(layout.rootSize, left, layout.type === 'flat' ? '/' : 'the root volume group', where);
  if (layout.type === 'lvm') {
    // The group MAAS makes over the root partition: its size, less one extent for the LVM header.
    const group = alignDown((form['root_size'] as number | undefined) ?? left.available) - LVM_EXTENT;
    Object.assign(form, { vg_name: layout.vgName, lv_name: layout.lvName });
    form['lv_size'] = bytes(layout.lvSize!, { size: group, available: group }, '/', `volume group ${layout.vgName}`);
  }
  await w.setBootDisk(layout.deviceId);
  await w.setLayout(form);
  done.push(`${layout.type} layout on ${layout.deviceName}`);

  const partitionIds = new Map<string, number>();
  for (const p of plan.partitions) {
    const size = bytes(p.size, w.deviceSpace(p.deviceId), `partition ${p.key}`, p.deviceName);
    const id = await w.createPartition(p.deviceId, { size, bootable: p.bootable, uuid: p.uuid });
    partitionIds.set(p.key, id);
    done.push(`partition ${p.key} (${size} bytes)`);
    if (p.fs) await formatAndMount(w, { deviceId: p.deviceId, partitionId: id }, p.fs);
  }
  for (const g of plan.groups) {
    let id = g.madeByLayout ? w.groupNamed(g.name) : null;
    if (g.madeByLayout && id === null) throw new Error(`node ${node}: MAAS's lvm layout made no volume group ${g.name}`);
    id ??= await w.createGroup({ name: g.name, uuid: g.uuid, block_devices: g.blockDevices, partitions: g.partitions.map((k) => partitionIds.get(k)!) });
    done.push(`volume group ${g.name}`);
    for (const v of g.volumes) {
      const size = bytes(v.size, w.groupSpace(id), `logical volume ${g.name}/${v.name}`, `volume group ${g.name}`);
      const lv = await w.createVolume(id, { name: v.name, uuid: v.uuid, size });
      done.push(`logical volume ${g.name}/${v.name} (${size} bytes)`);
      if (v.fs) await formatAndMount(w, { deviceId: lv }, v.fs);
    }
  }
  return done;
}

// Drydock leaves out the label when it formats a logical volume; it is sent here for both.
async function formatAndMount(w: StorageWriter, target: StorageTarget, fs: PlannedFs): Promise<void> {
  await w.format(target, fs);
  await w.mount(target, fs);
}
