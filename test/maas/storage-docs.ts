import { blockDeviceDoc } from './machine-doc.ts';
import type { SimBlockDevice, SimMachine, SimVolumeGroup } from './model.ts';
import { vgSize } from './storage-space.ts';

export { vgSize };

/**
 * Volume group and logical volume documents (canonical/maas
 * src/maasserver/api/volume_groups.py DISPLAYED_VOLUME_GROUP_FIELDS; a
 * logical volume is a virtual block device, api/blockdevices.py).
 */
export function logicalVolumeDoc(m: SimMachine, vg: SimVolumeGroup, lv: SimBlockDevice): Record<string, unknown> {
  return { ...blockDeviceDoc(m, lv), type: 'virtual', parent: { id: vg.id, uuid: vg.uuid, type: 'lvm-vg' },
    id_path: null, model: null, serial: null, path: `/dev/disk/by-dname/${lv.name}` };
}

export function volumeGroupDoc(m: SimMachine, vg: SimVolumeGroup): Record<string, unknown> {
  const size = vgSize(m, vg);
  const used = vg.logicalVolumes.reduce((n, lv) => n + lv.size, 0);
  const devices = [
    ...m.blockDevices.filter((d) => vg.blockDeviceIds.includes(d.id)).map((d) => blockDeviceDoc(m, d)),
    ...m.blockDevices.flatMap((d) => d.partitions.filter((p) => vg.partitionIds.includes(p.id))
      .map((p) => ({ id: p.id, type: 'partition', size: p.size, device_id: d.id }))),
  ];
  return {
    system_id: m.systemId, id: vg.id, name: vg.name, uuid: vg.uuid, devices, size, used_size: used,
    available_size: size - used, human_size: `${(size / 1e9).toFixed(1)} GB`,
    logical_volumes: vg.logicalVolumes.map((lv) => logicalVolumeDoc(m, vg, lv)),
    resource_uri: `/MAAS/api/2.0/nodes/${m.systemId}/volume-group/${vg.id}/`,
  };
}
