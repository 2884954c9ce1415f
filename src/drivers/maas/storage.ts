import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import type { SizeContext } from '../../design/sizes.ts';
import type { Progress } from '../types.ts';
import type { MaasClient } from './client.ts';
import { findNode } from './identify.ts';
import { commissioningLshw, logicalNameOf } from './lshw.ts';
import { applyPlan, type StorageTarget, type StorageWriter } from './storage-apply.ts';
import { dryRunWriter } from './storage-dry-run.ts';
import { planStorage, StoragePlanError, type MaasStorageDoc, type StoragePlan } from './storage-plan.ts';
import { clearedSpaces, efiSizeOf } from './storage-space.ts';

const enc = encodeURIComponent;

/**
 * The writes against MAAS. The machine document read once at the start
 * embeds every block device (Drydock reads them again, one request each,
 * and the machine again per logical volume); each write's answer keeps the
 * space left up to date, so nothing else is read.
 */
function liveWriter(client: MaasClient, doc: MaasStorageDoc): StorageWriter {
  const sid = enc(doc.system_id);
  let spaces = clearedSpaces(doc);
  const groups = new Map<number, SizeContext & { name: string }>();
  let bootDisk = doc.boot_disk?.id ?? null;
  const space = (id: number) => {
    const s = spaces.get(id);
    if (!s) throw new Error(`block device ${id} is not in MAAS`);
    return s;
  };
  const targetPath = (t: StorageTarget) => `nodes/${sid}/blockdevices/${t.deviceId}/${t.partitionId === undefined ? '' : `partition/${t.partitionId}`}`;
  return {
    efiSize: efiSizeOf(doc),
    deviceSpace: space,
    async setBootDisk(deviceId) {
      if (bootDisk === deviceId) return;
      await client.text({ method: 'POST', path: `nodes/${sid}/blockdevices/${deviceId}/`, op: 'set_boot_disk' });
      bootDisk = deviceId;
    },
    async setLayout(form) {
      const after = await client.json<MaasStorageDoc>({ method: 'POST', path: `machines/${sid}/`, op: 'set_storage_layout', params: form });
      spaces = new Map((after.physicalblockdevice_set ?? []).map((d) => [d.id, { size: d.size, available: d.available_size }]));
      for (const g of after.volume_groups ?? []) groups.set(g.id, { name: g.name, size: g.size, available: g.available_size });
    },
    async createPartition(deviceId, form) {
      const p = await client.json<{ id: number; size: number }>({ method: 'POST', path: `nodes/${sid}/blockdevices/${deviceId}/partitions/`, params: form });
      space(deviceId).available -= p.size;
      return p.id;
    },
    groupNamed: (name) => [...groups].find(([, g]) => g.name === name)?.[0] ?? null,
    async createGroup(form) {
      const g = await client.json<{ id: number; name: string; size: number; available_size: number }>({ method: 'POST', path: `nodes/${sid}/volume-groups/`, params: form });
      groups.set(g.id, { name: g.name, size: g.size, available: g.available_size });
      for (const id of (form['block_devices'] ?? []) as number[]) space(id).available = 0;
      return g.id;
    },
    groupSpace: (id) => groups.get(id)!,
    async createVolume(groupId, form) {
      const lv = await client.json<{ id: number; size: number }>({ method: 'POST', path: `nodes/${sid}/volume-group/${groupId}/`, op: 'create_logical_volume', params: form });
      groups.get(groupId)!.available -= lv.size;
      return lv.id;
    },
    async format(t, fs) {
      await client.json({ method: 'POST', path: targetPath(t), op: 'format', params: { fstype: fs.fstype, uuid: fs.uuid, label: fs.label } });
    },
    async mount(t, fs) {
      await client.json({ method: 'POST', path: targetPath(t), op: 'mount', params: { mount_point: fs.mountPoint, mount_options: fs.mountOptions } });
    },
  };
}

/**
 * Drydock's ApplyNodeStorage for one node: a Ready machine gets its root
 * (and /boot) through MAAS's flat or lvm layout on the root device, made
 * the boot disk, then the design's other partitions, volume groups and
 * logical volumes, formatted and mounted. The whole plan is sized against
 * MAAS's arithmetic first, so a size that cannot fit fails before any
 * write. A deployed machine is left as it is (Drydock's skip); a rack
 * controller is not touched.
 */
export async function applyNodeStorage(client: MaasClient, node: BaremetalNode, site: SiteModel): Promise<Progress> {
  const found = await findNode(client, node, true);
  if (!found) return { state: 'failed', reason: `node ${node.name} was not found in MAAS` };
  if (found.kind === 'rackcontrollers') return { state: 'done', detail: `node ${node.name} is a MAAS rack controller; storage not changed` };
  const machine = found.machine as typeof found.machine & MaasStorageDoc;
  const status = machine.status_name ?? 'Unknown';
  if (status === 'Deployed') return { state: 'done', detail: `node ${node.name} is deployed; storage left as it is (destroy the node to lay it out again)` };
  if (status !== 'Ready') return { state: 'failed', reason: `node ${node.name} is ${status} in MAAS; storage is laid out on a Ready machine only` };
  const { physicalDevices, volumeGroups } = node.storage;
  if (physicalDevices.length === 0 && volumeGroups.length === 0) {
    return { state: 'done', detail: `node ${node.name} has no storage in its design; MAAS's layout left as it is` };
  }
  const profile = node.hardwareProfile ? site.hardwareProfiles.get(node.hardwareProfile) : undefined;
  const aliased = physicalDevices.some((d) => profile?.deviceAliases[d.name]);
  const lshw = aliased ? await commissioningLshw(client, machine.system_id) : null;
  const logicalName = (alias: string) => {
    const device = profile?.deviceAliases[alias];
    return device && lshw ? logicalNameOf(lshw, device.busType, device.address) : null;
  };
  let plan: StoragePlan;
  try {
    plan = planStorage(node, machine, logicalName);
    await applyPlan(node.name, plan, dryRunWriter(machine));
  } catch (err) {
    const reason = err instanceof StoragePlanError ? err.message : `node ${node.name}: ${err instanceof Error ? err.message : String(err)}`;
    return { state: 'failed', reason: `${reason} (nothing was written)` };
  }
  try {
    const made = await applyPlan(node.name, plan, liveWriter(client, machine));
    return { state: 'done', detail: `node ${node.name} storage laid out in MAAS (${machine.system_id}): ${made.join(', ')}` };
  } catch (err) {
    // MAAS's answers may leave less room than forecast; its own refusals come as MaasError.
    if (err instanceof StoragePlanError) return { state: 'failed', reason: err.message };
    throw err;
  }
}
