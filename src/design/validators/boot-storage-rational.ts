import type { BaremetalNode, Filesystem } from '../model.ts';
import { statedBytes, tryParseSize } from '../sizes.ts';
import type { Reporter, Rule } from './rule.ts';

const GB = 10 ** 9;

interface Volume {
  name: string;
  size: string | null;
  filesystem: Filesystem | null;
}

/**
 * The node's partitions, then its logical volumes. Drydock looks at
 * partitions only, so a node with its root on LVM (which its docs and MAAS
 * driver support) always failed this rule; here logical volumes count too.
 */
function* volumesOf(node: BaremetalNode): Generator<Volume> {
  for (const device of node.storage.physicalDevices) yield* device.partitions;
  for (const group of node.storage.volumeGroups) yield* group.logicalVolumes;
}

// Drydock finds root and boot by name; its MAAS driver finds them by
// mountpoint. Either marks the volume here.
function roleOf(volume: Volume): 'root' | 'boot' | null {
  const mountpoint = volume.filesystem?.mountpoint ?? null;
  if (volume.name === 'root' || mountpoint === '/') return 'root';
  if (volume.name === 'boot' || mountpoint === '/boot') return 'boot';
  return null;
}

const LIMITS = {
  root: { bytes: 20 * GB, label: 'Root', small: '20GB', larger: 'Configure a larger root volume' },
  boot: { bytes: GB, label: 'Boot', small: '1GB', larger: 'Configure a larger boot volume.' },
} as const;

function checkSize(node: BaremetalNode, volume: Volume, role: 'root' | 'boot', report: Reporter): void {
  const limit = LIMITS[role];
  // Drydock's node driver sizes root and boot before it looks at a device,
  // so `>` and `%` sizes, which need one, are invalid for them. A missing
  // size crashed Drydock's rule; it is invalid too.
  const spec = tryParseSize(volume.size);
  const bytes = spec && !spec.minimum ? statedBytes(spec) : null;
  if (bytes === null) {
    // Drydock's root message lacked the space before the node name.
    report.error(
      `${limit.label} volume has an invalid size format on BaremetalNode ${node.name}.`,
      [node.doc],
      `Use a valid ${role} volume storage specification.`,
    );
  } else if (bytes < limit.bytes) {
    report.error(`${limit.label} volume must be > ${limit.small} on BaremetalNode ${node.name}`, [node.doc], limit.larger);
  }
}

/**
 * DD1001: every node has a root volume of at least 20GB, and a boot volume,
 * if any, of at least 1GB (decimal units, as Drydock).
 */
export const bootStorageRational: Rule = {
  code: 'DD1001',
  longName: 'Rational Boot Storage',
  run(site, _ctx, report) {
    for (const node of site.nodes.values()) {
      let rootSet = false;
      // Drydock checked a boot partition only when it came after the root
      // partition; here order does not matter.
      for (const volume of volumesOf(node)) {
        const role = roleOf(volume);
        if (role === null) continue;
        if (role === 'root') rootSet = true;
        checkSize(node, volume, role, report);
      }
      // Drydock also reported root as unset when its size was invalid.
      if (!rootSet) {
        report.error(
          `Root volume has to be set and must be > 20GB on BaremetalNode ${node.name}`,
          [node.doc],
          'All nodes require a defined root volume at least 20GB in size.',
        );
      }
    }
  },
};
