import type { Partition } from '../model.ts';
import type { Rule } from './rule.ts';

// Drydock's ingester gives a partition with a filesystem the fstype `ext4`
// when none is written, so a filesystem always has a type.
function isFormatted(partition: Partition): boolean {
  const fs = partition.filesystem;
  return fs !== null && Boolean(fs.fstype ?? 'ext4');
}

/**
 * DD2002: each physical device is either a volume group's physical volume or
 * carved into partitions; a partition is either a physical volume or a
 * filesystem; each volume group has at least one physical volume.
 */
export const storagePartitioning: Rule = {
  code: 'DD2002',
  longName: 'Storage Partitioning',
  run(site, _ctx, report) {
    for (const node of site.nodes.values()) {
      // Drydock kept one list for all nodes (so a group assigned on one node
      // counted as assigned on the next) and recorded the device's group for
      // a partition's, so a group backed only by partitions was reported as
      // unassigned. Here it is per node, with the partition's own group.
      const assigned = new Set<string>();
      for (const device of node.storage.physicalDevices) {
        const hasPartitions = device.partitions.length > 0;
        const hasGroup = Boolean(device.volumeGroup);
        if (hasPartitions === hasGroup) {
          report.error(
            'Either a volume group OR partitions must be defined for each storage device.',
            [node.doc],
            'A storage device must be used for exactly one of a volume group physical volume or carved into partitions.',
          );
        }
        if (device.volumeGroup) assigned.add(device.volumeGroup);
        for (const partition of device.partitions) {
          if (partition.volumeGroup && isFormatted(partition)) {
            report.error(
              'Both a volume group AND file system cannot be defined in a single partition',
              [node.doc],
              'A partition can be used for only one of a volume group physical volume or formatted as a filesystem.',
            );
          }
          if (partition.volumeGroup) assigned.add(partition.volumeGroup);
        }
      }
      for (const group of node.storage.volumeGroups) {
        if (assigned.has(group.name)) continue;
        report.error(
          `Volume group ${group.name} not assigned any physical volumes`,
          [node.doc],
          'Each volume group should be assigned at least one storage device or partition as a physical volume.',
        );
      }
    }
  },
};
