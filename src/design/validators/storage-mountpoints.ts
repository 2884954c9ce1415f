import type { BaremetalNode, Filesystem } from '../model.ts';
import type { Rule } from './rule.ts';

/**
 * The node's mountpoints in Drydock's order: per physical device, its
 * partitions, then the logical volumes of the volume groups it backs.
 *
 * Drydock followed only a device's own volume group, and once for every
 * device in it: a group on two disks reported each of its mountpoints as a
 * duplicate, and a group backed by partitions was never checked. Here each
 * group backed by a device or partition is read once.
 */
function* mountpointsOf(node: BaremetalNode): Generator<string> {
  const groups = new Map(node.storage.volumeGroups.map((g) => [g.name, g]));
  const seenGroups = new Set<string>();
  const mounted = (fs: Filesystem | null) => fs?.mountpoint ?? null;
  for (const device of node.storage.physicalDevices) {
    const backed: string[] = device.volumeGroup ? [device.volumeGroup] : [];
    for (const partition of device.partitions) {
      const mountpoint = mounted(partition.filesystem);
      if (mountpoint !== null) yield mountpoint;
      if (partition.volumeGroup) backed.push(partition.volumeGroup);
    }
    for (const name of backed) {
      const group = groups.get(name);
      if (!group || seenGroups.has(name)) continue;
      seenGroups.add(name);
      for (const volume of group.logicalVolumes) {
        const mountpoint = mounted(volume.filesystem);
        if (mountpoint !== null) yield mountpoint;
      }
    }
  }
}

/** DD2004: no two partitions or logical volumes of a node share a mountpoint. */
export const storageMountpoints: Rule = {
  code: 'DD2004',
  longName: 'Storage Mountpoint',
  run(site, _ctx, report) {
    // Drydock stopped the whole rule at the first duplicate; here every
    // duplicate on every node is reported.
    for (const node of site.nodes.values()) {
      const seen = new Set<string>();
      for (const mountpoint of mountpointsOf(node)) {
        if (seen.has(mountpoint)) {
          report.error(`Mountpoint "${mountpoint}" already exists`, [node.doc], 'Please use unique mountpoints.');
        } else {
          seen.add(mountpoint);
        }
      }
    }
  },
};
