/**
 * Drydock's storage size strings (`10g`, `500MiB`, `>20g`, `30%`): parsing,
 * and the byte count a size means on a device or volume group. Shared by the
 * storage design rules and the node driver that lays out partitions.
 *
 * The grammar is that of Drydock's MAAS driver (`calculate_bytes`): an
 * optional `>`, an integer, then a unit written in one of the listed forms.
 * Drydock's design-time helper (`SimpleBytes`) knows only a subset of it,
 * rejecting `>` and `%`; the validators here use the full grammar instead.
 */

export type SizeUnit = 'MB' | 'GB' | 'TB' | 'MiB' | 'GiB' | 'TiB' | '%';

export interface SizeSpec {
  /** `>`: at least this much, growing to the space left on the device or group. */
  minimum: boolean;
  /** The integer as written. */
  amount: number;
  unit: SizeUnit;
}

/** Where a size is laid out: a block device or a volume group, in bytes. */
export interface SizeContext {
  size: number;
  available: number;
}

export class InvalidSizeFormat extends Error {
  override name = 'InvalidSizeFormat';
}

export class NotEnoughStorage extends Error {
  override name = 'NotEnoughStorage';
}

/** Kept free at the end of a device when a `>` size takes the rest (Drydock's 4 MiB). */
export const PART_TABLE_RESERVATION = 4 * 1024 * 1024;

const UNIT_BYTES: Record<Exclude<SizeUnit, '%'>, number> = {
  MB: 10 ** 6,
  GB: 10 ** 9,
  TB: 10 ** 12,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

// Only these spellings: Drydock accepts `mb` and `MB` but not `Mb`, `gib` and
// `GiB` but not `Gib`.
const UNIT_FORMS: Record<string, SizeUnit> = {
  m: 'MB', M: 'MB', mb: 'MB', MB: 'MB',
  g: 'GB', G: 'GB', gb: 'GB', GB: 'GB',
  t: 'TB', T: 'TB', tb: 'TB', TB: 'TB',
  mi: 'MiB', Mi: 'MiB', mib: 'MiB', MiB: 'MiB',
  gi: 'GiB', Gi: 'GiB', gib: 'GiB', GiB: 'GiB',
  ti: 'TiB', Ti: 'TiB', tib: 'TiB', TiB: 'TiB',
  '%': '%',
};

// Drydock's pattern, applied with re.match: anchored at the start only, so
// text after the unit (`10g # root`) is ignored, as Drydock ignores it. The
// unit group is greedy, so `10gb%` reads unit `gb%`, which no form matches.
const SIZE_PATTERN = /^(>?)(\d+)([mMbBgGtTi%]{1,3})/;

/**
 * Parses a size string. Throws InvalidSizeFormat where Drydock raises it and
 * also where Drydock crashes instead (`10b`, `10Gb`, `10g%`: matched by its
 * pattern but by none of its unit forms).
 */
export function parseSize(text: string): SizeSpec {
  const match = SIZE_PATTERN.exec(text);
  const unit = match ? UNIT_FORMS[match[3] ?? ''] : undefined;
  if (!match || !unit) throw new InvalidSizeFormat(`Invalid size string format: ${text}`);
  const amount = Number(match[2]);
  if (unit !== '%' && !Number.isSafeInteger(amount * UNIT_BYTES[unit])) {
    throw new InvalidSizeFormat(`Size too large: ${text}`);
  }
  return { minimum: match[1] === '>', amount, unit };
}

/** parseSize, answering null for an invalid or missing size. */
export function tryParseSize(text: string | null | undefined): SizeSpec | null {
  if (typeof text !== 'string') return null;
  try {
    return parseSize(text);
  } catch {
    return null;
  }
}

/**
 * The bytes an absolute size states (for a `>` size, its minimum), or null
 * for a percentage, which means nothing without a device.
 */
export function statedBytes(spec: SizeSpec): number | null {
  return spec.unit === '%' ? null : spec.amount * UNIT_BYTES[spec.unit];
}

/**
 * The bytes to allocate for a size on a device or volume group, as Drydock's
 * MAAS driver computes them: a percentage is of the context's total size; a
 * size larger than what is available throws NotEnoughStorage; a `>` size
 * takes everything available but PART_TABLE_RESERVATION. `>` and `%` sizes
 * need a context.
 */
export function calculateBytes(size: string | SizeSpec, context?: SizeContext): number {
  const spec = typeof size === 'string' ? parseSize(size) : size;
  const absolute = statedBytes(spec);
  if (!context) {
    if (spec.minimum || absolute === null) {
      throw new InvalidSizeFormat('Sizes using the ">" or "%" format must specify a block device or volume group context');
    }
    return absolute;
  }
  // Integer arithmetic: Drydock computes floor(amount / 100 * size) in floats,
  // which can come out one byte short (29% of 100 bytes gives 28).
  const wanted = absolute ?? Number((BigInt(spec.amount) * BigInt(Math.floor(context.size))) / 100n);
  if (wanted > context.available) throw new NotEnoughStorage(`${wanted} bytes wanted, ${context.available} available`);
  if (!spec.minimum) return wanted;
  const rest = context.available - PART_TABLE_RESERVATION;
  // Drydock returns the rest even when the reservation takes it below the
  // stated minimum; a minimum that cannot be met is not enough storage.
  if (rest < wanted) throw new NotEnoughStorage(`${wanted} bytes wanted, ${rest} left after the partition table reservation`);
  return rest;
}
