import type { SizeContext } from '../../design/sizes.ts';
import type { Form } from './client.ts';
import type { StorageWriter } from './storage-apply.ts';
import type { MaasStorageDoc } from './storage-plan.ts';
import { alignDown, clearedSpaces, efiSizeOf, groupSize, MIB } from './storage-space.ts';

// storage_layouts.py MIN_BOOT_PARTITION_SIZE, MIN_ROOT_PARTITION_SIZE (MAAS refuses smaller with a 400).
const MINIMUMS: Array<[string, number, string]> = [
  ['boot_size', 512 * MIB, '/boot'], ['root_size', 3 * 1024 * MIB, 'the root partition'], ['lv_size', 3 * 1024 * MIB, 'the root logical volume'],
];

const num = (v: Form[string]) => (v === null || v === undefined ? null : Number(v));

/**
 * A StorageWriter that writes nothing: it follows MAAS's arithmetic over
 * the machine document, so applyPlan with it fails, naming what does not
 * fit, where MAAS would refuse a size half-way through.
 */
export function dryRunWriter(doc: MaasStorageDoc): StorageWriter {
  const spaces = clearedSpaces(doc);
  const partitionSizes = new Map<number, number>();
  const groups = new Map<number, SizeContext & { name: string }>();
  let nextId = -1;
  const space = (id: number) => {
    const s = spaces.get(id);
    if (!s) throw new Error(`device ${id} is not in MAAS`);
    return s;
  };
  const take = (s: SizeContext, size: number, what: string) => {
    const rounded = alignDown(size);
    if (rounded > s.available) throw new Error(`${what} of ${size} bytes does not fit: ${s.available} available`);
    s.available -= rounded;
    return rounded;
  };
  const makeGroup = (name: string, size: number) => {
    const id = nextId--;
    groups.set(id, { name, size, available: size });
    return id;
  };
  return {
    efiSize: efiSizeOf(doc),
    deviceSpace: space,
    setBootDisk: async () => {},
    async setLayout(form) {
      for (const [field, min, what] of MINIMUMS) {
        const v = num(form[field]);
        if (v !== null && v < min) throw new Error(`${what} of ${v} bytes is smaller than MAAS's layouts allow (${min} bytes)`);
      }
      const root = space(Number(form['root_device']));
      take(root, this.efiSize, 'the EFI partition');
      const boot = num(form['boot_size']);
      if (boot) take(root, boot, 'the boot partition');
      const rootSize = take(root, num(form['root_size']) ?? root.available, 'the root partition');
      if (form['storage_layout'] !== 'lvm') return;
      const g = makeGroup(String(form['vg_name']), groupSize([rootSize]));
      take(groups.get(g)!, num(form['lv_size']) ?? groups.get(g)!.available, 'the root logical volume');
    },
    async createPartition(deviceId, form) {
      const id = nextId--;
      partitionSizes.set(id, take(space(deviceId), Number(form['size']), 'a partition'));
      return id;
    },
    groupNamed: (name) => [...groups].find(([, g]) => g.name === name)?.[0] ?? null,
    async createGroup(form) {
      const ids = (key: string) => ((form[key] ?? []) as number[]);
      const pvs = [...ids('block_devices').map((id) => space(id).size), ...ids('partitions').map((id) => partitionSizes.get(id)!)];
      return makeGroup(String(form['name']), groupSize(pvs));
    },
    groupSpace: (id) => groups.get(id)!,
    async createVolume(groupId, form) {
      take(groups.get(groupId)!, Number(form['size']), 'a logical volume');
      return nextId--;
    },
    format: async () => {},
    mount: async () => {},
  };
}
