import { tryParseSize } from '../sizes.ts';
import type { DocRef } from '../model.ts';
import type { Reporter, Rule } from './rule.ts';

type Reading =
  | { kind: 'missing' }
  | { kind: 'invalid' }
  | { kind: 'negative' }
  | { kind: 'valid'; percent: number };

/** A size's share of its device or group in percent (0 for absolute sizes). */
function read(size: string | null): Reading {
  if (size === null) return { kind: 'missing' };
  const spec = tryParseSize(size);
  if (spec) return { kind: 'valid', percent: spec.unit === '%' ? spec.amount : 0 };
  const unsigned = size.startsWith('-') ? tryParseSize(size.slice(1)) : null;
  return unsigned && !unsigned.minimum ? { kind: 'negative' } : { kind: 'invalid' };
}

const SUM_HINT = 'Percentage-based sizes must sum to less than 100%.';
const FORMAT_HINT = 'Use a size such as 10g, 512mi, >20g or 30% (see Size Format in the topology docs).';

/** Reports each bad size among `items`; answers the sum of their percentages. */
function percentSum(
  items: ReadonlyArray<{ name: string; size: string | null }>,
  describe: (name: string) => string,
  negativeHint: string,
  docs: DocRef[],
  report: Reporter,
): number {
  let sum = 0;
  for (const item of items) {
    const what = describe(item.name);
    const reading = read(item.size);
    if (reading.kind === 'valid') sum += reading.percent;
    else if (reading.kind === 'negative') report.error(`${what} size is < 0`, docs, negativeHint);
    else if (reading.kind === 'missing') report.error(`${what} has no size`, docs, FORMAT_HINT);
    else report.error(`${what} has an invalid size format: ${item.size}`, docs, FORMAT_HINT);
  }
  return sum;
}

/**
 * DD2003: the percentage sizes of a device's partitions, and of a volume
 * group's logical volumes, sum to at most 99%, and no size is negative.
 *
 * Drydock crashed on a missing size and on a percentage that is not an
 * integer (`x%`, `>10%`), and let any other malformed size through to fail
 * at deploy time; here each is reported as an invalid size, and `>10%`
 * counts as its 10%.
 */
export const storageSizing: Rule = {
  code: 'DD2003',
  longName: 'Storage Sizing',
  run(site, _ctx, report) {
    for (const node of site.nodes.values()) {
      const docs = [node.doc];
      for (const device of node.storage.physicalDevices) {
        const describe = (name: string) => `Storage partition ${name} on device ${device.name}`;
        // Drydock checked the sum after each partition, repeating the error
        // for every partition after the one that crossed 99%.
        if (percentSum(device.partitions, describe, 'Partition size must be a positive number.', docs, report) > 99) {
          report.error(`Cumulative partition sizes on device ${device.name} is greater than 99%.`, docs, SUM_HINT);
        }
      }
      // Drydock checked the volume groups once per physical device, and
      // carried one running sum across all of the node's groups.
      for (const group of node.storage.volumeGroups) {
        // Drydock's text ended in a space and had no diagnostic.
        const hint = 'Logical volume size must be a positive number.';
        if (percentSum(group.logicalVolumes, (name) => `Logical Volume ${name}`, hint, docs, report) > 99) {
          report.error(`Cumulative logical volume size is greater than 99% in volume group ${group.name}`, docs, SUM_HINT);
        }
      }
    }
  },
};
