import { randomUUID } from 'node:crypto';
import { json, text, validation, type MaasReply, type MaasRequest } from './http-util.ts';
import { machineDoc } from './machine-doc.ts';
import type { SimFilesystem, SimMachine, SimPartition, SimBlockDevice } from './model.ts';
import type { SimState } from './state.ts';
import { NODE_STATUS as S } from './status.ts';
import {
  EFI_PARTITION_SIZE, MIN_BOOT_PARTITION_SIZE, MIN_ROOT_PARTITION_SIZE, alignDown, availableOf, vgSize,
} from './storage-space.ts';

/**
 * POST machines/{id}/?op=set_storage_layout after canonical/maas
 * src/maasserver/api/machines.py set_storage_layout and
 * src/maasserver/storage_layouts.py (StorageLayoutBase, FlatStorageLayout,
 * LVMStorageLayout): the whole storage configuration is cleared, then a
 * boot partition (boot_size) on the boot disk and a root partition
 * (root_size, else the rest) on root_device (else the boot disk); flat
 * formats root ext4 at /, lvm makes it the volume group vg_name (vgroot)
 * holding lv_name (lvroot) of lv_size (else all of it). `blank` leaves
 * nothing; bcache and vmfs are built as flat. Answers the machine.
 */
const LAYOUTS = ['flat', 'lvm', 'bcache', 'vmfs6', 'vmfs7', 'custom', 'blank'];

const fsOf = (fstype: string, label: string, mountPoint: string): SimFilesystem =>
  ({ fstype, label, uuid: randomUUID(), mountPoint, mountOptions: null });

// fields_storage.py BytesOrPercentageField; a percentage is of the boot disk less the EFI partition, rounded up.
function sizeField(value: string | null, of: number): number | null | 'bad' {
  if (!value) return null;
  const pct = /^(\d+(\.\d+)?)%$/.exec(value);
  if (pct) return Math.ceil(of * (Number(pct[1]) / 100));
  return /^\d+$/.test(value) ? Number(value) : 'bad';
}

export function setStorageLayout(st: SimState, r: MaasRequest, m: SimMachine): MaasReply {
  if (m.status !== S.READY) return text(409, 'Cannot change the storage layout on a machine that is not Ready.');
  const layout = r.form.get('storage_layout') ?? 'flat';
  if (!LAYOUTS.includes(layout)) {
    return validation({ storage_layout: [`Select a valid choice. ${layout} is not one of the available choices.`] });
  }
  const boot = m.blockDevices.find((d) => d.id === m.bootDiskId);
  if (!boot) return text(400, 'Machine is missing a boot disk; no storage layout can be applied.');
  const errors: Record<string, string[]> = {};
  const usable = boot.size - EFI_PARTITION_SIZE;
  const sized = (field: string, min: number, max: number): number | null => {
    const v = sizeField(r.form.get(field), usable);
    if (v === 'bad') return (errors[field] = ['Enter a valid number of bytes or a percentage.']), null;
    if (v !== null && v < min) errors[field] = [`Size is too small. Minimum size is ${min}.`];
    else if (v !== null && v > max) errors[field] = [`Size is too large. Maximum size is ${max}.`];
    return v;
  };
  const bootSize = sized('boot_size', MIN_BOOT_PARTITION_SIZE, usable - MIN_ROOT_PARTITION_SIZE) ?? 0;
  const rootSize = sized('root_size', MIN_ROOT_PARTITION_SIZE, usable - MIN_BOOT_PARTITION_SIZE);
  const rootId = r.form.get('root_device');
  const root = rootId ? m.blockDevices.find((d) => String(d.id) === rootId) : boot;
  if (!root) errors['root_device'] = [`Select a valid choice. ${rootId} is not one of the available choices.`];
  if (rootSize !== null && EFI_PARTITION_SIZE + bootSize + rootSize > boot.size) {
    errors['__all__'] = ['Size of the boot partition and root partition are larger than the available space on the boot disk.'];
  }
  if (Object.keys(errors).length) return validation(errors);

  for (const d of m.blockDevices) (d.partitions = [], d.filesystem = null, d.partitionTableType = null);
  m.volumeGroups = [];
  if (layout === 'blank') return json(machineDoc(st.network, m, st.tagNamesOf(m)));
  const add = (d: SimBlockDevice, size: number | null, bootable: boolean): SimPartition => {
    d.partitionTableType ??= 'GPT';
    const x: SimPartition = { id: st.ids.next(), uuid: randomUUID(), size: alignDown(size ?? availableOf(m, d)), bootable, filesystem: null };
    d.partitions.push(x);
    return x;
  };
  boot.partitionTableType = 'GPT';
  if (bootSize > 0) add(boot, bootSize, true).filesystem = fsOf('ext4', 'boot', '/boot');
  const rootPart = add(root!, rootSize, false);
  if (layout !== 'lvm') {
    rootPart.filesystem = fsOf('ext4', 'root', '/');
    return json(machineDoc(st.network, m, st.tagNamesOf(m)));
  }
  const vg = { id: st.ids.next(), name: r.form.get('vg_name') || 'vgroot', uuid: randomUUID(), blockDeviceIds: [],
    partitionIds: [rootPart.id], logicalVolumes: [] as SimBlockDevice[] };
  m.volumeGroups.push(vg);
  const limit = rootSize ?? usable - bootSize;
  const lvAsked = sizeField(r.form.get('lv_size'), limit);
  if (lvAsked === 'bad' || (lvAsked !== null && (lvAsked < MIN_ROOT_PARTITION_SIZE || lvAsked > limit))) {
    return validation({ lv_size: [`Size is too large. Maximum size is ${limit}.`] });
  }
  const lvSize = alignDown(Math.min(lvAsked ?? vgSize(m, vg), vgSize(m, vg)));
  vg.logicalVolumes.push({ id: st.ids.next(), name: `${vg.name}-${r.form.get('lv_name') || 'lvroot'}`, model: '', serial: '',
    size: lvSize, blockSize: 4096, idPath: null, tags: [], partitionTableType: null, partitions: [],
    filesystem: fsOf('ext4', 'root', '/') });
  return json(machineDoc(st.network, m, st.tagNamesOf(m)));
}
