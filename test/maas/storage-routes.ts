import { randomUUID } from 'node:crypto';
import { json, text, validation, type MaasReply, type MaasRequest } from './http-util.ts';
import { blockDeviceDoc, partitionDoc } from './machine-doc.ts';
import type { SimBlockDevice, SimFilesystem, SimMachine, SimPartition } from './model.ts';
import type { Handler, Route } from './router.ts';
import type { SimState } from './state.ts';
import { NODE_STATUS as S } from './status.ts';
import { logicalVolumeDoc, volumeGroupDoc } from './storage-docs.ts';
import { alignDown, availableOf, MIN_PARTITION_SIZE, vgFree } from './storage-space.ts';

/**
 * nodes/{system_id}/blockdevices/, .../partitions/, .../partition/{id} and
 * volume-groups/ after canonical/maas src/maasserver/api/{blockdevices,
 * partitions,volume_groups}.py: format/mount need Ready or Allocated,
 * structural changes (partitions, boot disk, volume groups) need Ready;
 * otherwise 409 with MAAS's text.
 */
type Target = SimBlockDevice | SimPartition;

export function storageRoutes(st: SimState): Route[] {
  // Logical volumes are (virtual) block devices too: formatted and mounted through blockdevices/{id}/.
  const device = (m: SimMachine, id: string) => [...m.blockDevices, ...m.volumeGroups.flatMap((vg) => vg.logicalVolumes)]
    .find((d) => String(d.id) === id || d.name === id);
  const docOf = (m: SimMachine, d: SimBlockDevice) => {
    const vg = m.volumeGroups.find((v) => v.logicalVolumes.includes(d));
    return vg ? logicalVolumeDoc(m, vg, d) : blockDeviceDoc(m, d);
  };
  const withDevice = (fn: (r: MaasRequest, m: SimMachine, d: SimBlockDevice, p: string[]) => MaasReply): Handler => (r, p) => {
    const m = st.machine(p[0]!);
    if (!m) return text(404, 'No Machine matches the given query.');
    const d = device(m, p[1]!);
    return d ? fn(r, m, d, p) : text(404, 'No BlockDevice matches the given query.');
  };
  const withPartition = (fn: (r: MaasRequest, m: SimMachine, d: SimBlockDevice, x: SimPartition) => MaasReply): Handler =>
    withDevice((r, m, d, p) => {
      const x = d.partitions.find((q) => String(q.id) === p[2]);
      return x ? fn(r, m, d, x) : text(404, 'No Partition matches the given query.');
    });
  const readyOrAllocated = (m: SimMachine, what: string, op: string) => ([S.READY, S.ALLOCATED] as number[]).includes(m.status)
    ? null : text(409, `Cannot ${op} ${what} because the ${what === 'partition' ? 'node' : 'machine'} is not Ready or Allocated.`);

  const format = (what: string) => (r: MaasRequest, m: SimMachine, t: Target, doc: () => unknown): MaasReply => {
    const bad = readyOrAllocated(m, what, 'format');
    if (bad) return bad;
    const fstype = r.form.get('fstype');
    if (!fstype) return validation({ fstype: ['This field is required.'] });
    const fs: SimFilesystem = { fstype, label: r.form.get('label'), uuid: r.form.get('uuid') ?? randomUUID(),
      mountPoint: null, mountOptions: null };
    t.filesystem = fs;
    return json(doc());
  };
  const mount = (what: string) => (r: MaasRequest, m: SimMachine, t: Target, doc: () => unknown): MaasReply => {
    const bad = readyOrAllocated(m, what, 'mount');
    if (bad) return bad;
    if (!t.filesystem) return validation({ __all__: [`Cannot mount an unformatted ${what}.`] });
    const point = r.form.get('mount_point');
    if (!point) return validation({ mount_point: ['This field is required.'] });
    t.filesystem.mountPoint = point;
    t.filesystem.mountOptions = r.form.get('mount_options');
    return json(doc());
  };
  const unformat = (what: string) => (_r: MaasRequest, m: SimMachine, t: Target, doc: () => unknown): MaasReply =>
    readyOrAllocated(m, what, 'unformat') ?? ((t.filesystem = null), json(doc()));
  const unmount = (what: string) => (_r: MaasRequest, m: SimMachine, t: Target, doc: () => unknown): MaasReply =>
    readyOrAllocated(m, what, 'unmount') ?? (t.filesystem && (t.filesystem.mountPoint = null), json(doc()));
  const onDevice = (op: ReturnType<typeof format>) => withDevice((r, m, d) => op(r, m, d, () => docOf(m, d)));
  const onPartition = (op: ReturnType<typeof format>) => withPartition((r, m, d, x) => op(r, m, x, () => partitionDoc(m, d, x)));

  // forms AddPartitionForm and models/partition.py: sizes rounded down to 4 MiB, none given takes the rest.
  const createPartition = withDevice((r, m, d) => {
    if (m.status !== S.READY) return text(409, 'Cannot create partition because the node is not Ready.');
    const free = availableOf(m, d);
    const asked = r.form.get('size') ? Number(r.form.get('size')) : free;
    if (!Number.isFinite(asked) || asked < MIN_PARTITION_SIZE) {
      return validation({ size: [`Ensure this value is greater than or equal to ${MIN_PARTITION_SIZE}.`] });
    }
    if (asked > d.size) return validation({ size: [`Ensure this value is less than or equal to ${d.size}.`] });
    const size = alignDown(asked);
    if (size - d.blockSize > free) {
      return validation({ size: ['Partition cannot be saved; not enough free space on the block device.'] });
    }
    const x: SimPartition = { id: st.ids.next(), uuid: r.form.get('uuid') ?? randomUUID(), size: Math.min(size, free),
      bootable: ['true', '1', 'on'].includes((r.form.get('bootable') ?? '').toLowerCase()), filesystem: null };
    d.partitionTableType ??= 'GPT';
    d.partitions.push(x);
    return json(partitionDoc(m, d, x));
  });

  const vgRoute = (fn: (r: MaasRequest, m: SimMachine, vg: SimMachine['volumeGroups'][number]) => MaasReply): Handler => (r, p) => {
    const m = st.machine(p[0]!);
    const vg = m?.volumeGroups.find((v) => String(v.id) === p[1]);
    return m && vg ? fn(r, m, vg) : text(404, 'No VolumeGroup matches the given query.');
  };

  return [
    { path: /^\/nodes\/([^/]+)\/blockdevices\/$/, ops: {
      GET: (_r, p) => {
        const m = st.machine(p[0]!);
        return m ? json(m.blockDevices.map((d) => blockDeviceDoc(m, d))) : text(404, 'No Machine matches the given query.');
      },
    } },
    { path: /^\/nodes\/([^/]+)\/blockdevices\/([^/]+)\/$/, ops: {
      GET: withDevice((_r, m, d) => json(docOf(m, d))),
      'POST format': onDevice(format('block device')), 'POST unformat': onDevice(unformat('block device')),
      'POST mount': onDevice(mount('block device')), 'POST unmount': onDevice(unmount('block device')),
      'POST set_boot_disk': withDevice((_r, m, d) => {
        if (m.status !== S.READY) return text(409, 'Cannot set as boot disk because the machine is not Ready.');
        if (!m.blockDevices.includes(d)) return text(400, 'Cannot set a virtual block device as the boot disk.');
        m.bootDiskId = d.id;
        return text(200, 'OK');
      }),
    } },
    { path: /^\/nodes\/([^/]+)\/blockdevices\/([^/]+)\/partitions\/$/, ops: {
      GET: withDevice((_r, m, d) => json(d.partitions.map((x) => partitionDoc(m, d, x)))),
      POST: createPartition,
    } },
    { path: /^\/nodes\/([^/]+)\/blockdevices\/([^/]+)\/partitions?\/([^/]+)\/?$/, ops: {
      GET: withPartition((_r, m, d, x) => json(partitionDoc(m, d, x))),
      DELETE: withPartition((_r, m, d, x) => {
        if (m.status !== S.READY) return text(409, 'Cannot delete block device because the node is not Ready.');
        d.partitions.splice(d.partitions.indexOf(x), 1);
        return { status: 204, body: '' };
      }),
      'POST format': onPartition(format('partition')), 'POST unformat': onPartition(unformat('partition')),
      'POST mount': onPartition(mount('partition')), 'POST unmount': onPartition(unmount('partition')),
    } },
    { path: /^\/nodes\/([^/]+)\/volume-groups\/$/, ops: {
      GET: (_r, p) => {
        const m = st.machine(p[0]!);
        return m ? json(m.volumeGroups.map((vg) => volumeGroupDoc(m, vg))) : text(404, 'No Machine matches the given query.');
      },
      POST: (r, p) => {
        const m = st.machine(p[0]!);
        if (!m) return text(404, 'No Machine matches the given query.');
        if (m.status !== S.READY) return text(409, 'Cannot create volume group because the machine is not Ready.');
        const name = r.form.get('name');
        if (!name) return validation({ name: ['This field is required.'] });
        const blockDeviceIds = r.form.getAll('block_devices').map(Number);
        const partitionIds = r.form.getAll('partitions').map(Number);
        if (!blockDeviceIds.length && !partitionIds.length) {
          return validation({ __all__: ['At least one valid block device or partition is required.'] });
        }
        const vg = { id: st.ids.next(), name, uuid: r.form.get('uuid') ?? randomUUID(), blockDeviceIds, partitionIds,
          logicalVolumes: [] };
        m.volumeGroups.push(vg);
        return json(volumeGroupDoc(m, vg));
      },
    } },
    { path: /^\/nodes\/([^/]+)\/volume-groups?\/([^/]+)\/$/, ops: {
      GET: vgRoute((_r, m, vg) => json(volumeGroupDoc(m, vg))),
      DELETE: vgRoute((_r, m, vg) => {
        if (m.status !== S.READY) return text(409, 'Cannot delete volume group because the machine is not Ready.');
        m.volumeGroups.splice(m.volumeGroups.indexOf(vg), 1);
        return { status: 204, body: '' };
      }),
      'POST create_logical_volume': vgRoute((r, m, vg) => {
        if (m.status !== S.READY) return text(409, 'Cannot create logical volume because the machine is not Ready.');
        const name = r.form.get('name');
        if (!name) return validation({ name: ['This field is required.'] });
        // virtualblockdevice.py clean: a logical volume is rounded down to 4 MiB.
        const free = vgFree(m, vg);
        const size = alignDown(r.form.get('size') ? Number(r.form.get('size')) : free);
        if (!(size > 0 && size <= free)) return validation({ size: [`Size is too large. Maximum size is ${free}.`] });
        const lv: SimBlockDevice = { id: st.ids.next(), name: `${vg.name}-${name}`, model: '', serial: '', size,
          blockSize: 4096, idPath: null, tags: [], partitionTableType: null, partitions: [], filesystem: null };
        vg.logicalVolumes.push(lv);
        return json(logicalVolumeDoc(m, vg, lv));
      }),
      'POST delete_logical_volume': vgRoute((r, m, vg) => {
        const i = vg.logicalVolumes.findIndex((lv) => String(lv.id) === r.form.get('id'));
        if (i >= 0) vg.logicalVolumes.splice(i, 1);
        return { status: 204, body: '' };
      }),
    } },
  ];
}
