/**
 * POSIX ustar headers, written by hand because nanotar 0.3 cannot express a
 * long name: its writer puts the name into the 100-byte field and silently
 * cuts the rest, leaves the ustar `prefix` field empty and only knows the
 * typeflags `0` and `5`, so it can emit neither a prefix split nor a PAX
 * extended header. Field offsets and widths are those of POSIX.1-2001 "ustar
 * Interchange Format".
 */
export const BLOCK = 512;
const NAME_MAX = 100;
const PREFIX_MAX = 155;
const SLASH = 0x2f;
const encoder = new TextEncoder();
const MAGIC = encoder.encode('ustar\u000000');
const ROOT = encoder.encode('root');
/** The name of every PAX extended header, as Python's tarfile writes it (content is not a path). */
const PAX_HEADER_NAME = encoder.encode('././@PaxHeader');

export interface HeaderFields {
  /** At most 100 bytes; exactly 100 bytes is written without a terminating NUL, as ustar allows. */
  name: Uint8Array;
  /** At most 155 bytes; empty when the name stands alone. */
  prefix: Uint8Array;
  mode: number;
  size: number;
  mtime: number;
  /** '0' regular file, 'x' PAX extended header for the next entry. */
  typeflag: '0' | 'x';
}

/** Octal digits, zero-padded to `width - 1`, then a NUL; throws if the value does not fit. */
function writeOctal(block: Uint8Array, offset: number, width: number, value: number): void {
  const digits = value.toString(8).padStart(width - 1, '0');
  if (digits.length > width - 1) throw new RangeError(`${value} does not fit a ${width}-byte tar field`);
  for (let i = 0; i < digits.length; i++) block[offset + i] = digits.charCodeAt(i);
  block[offset + width - 1] = 0;
}

/** The largest size an 11-digit octal field holds (8 GiB - 1). */
export const MAX_ENTRY_SIZE = 0o77777777777;

/**
 * Writes one 512-byte header into `out` at `at`; `out` must be zeroed there.
 * Owner is uid/gid 0 named root/root.
 */
export function writeHeader(out: Uint8Array, at: number, h: HeaderFields): void {
  const block = out.subarray(at, at + BLOCK);
  block.set(h.name, 0);
  writeOctal(block, 100, 8, h.mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, h.size);
  writeOctal(block, 136, 12, h.mtime);
  block[156] = h.typeflag.charCodeAt(0);
  block.set(MAGIC, 257);
  block.set(ROOT, 265);
  block.set(ROOT, 297);
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  block.set(h.prefix, 345);
  // The checksum is the byte sum of the header with its own field read as
  // eight spaces, stored as six octal digits, a NUL and a space.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i]!;
  writeOctal(block, 148, 7, sum);
}

/**
 * Splits a UTF-8 path into ustar prefix and name at a '/', choosing the
 * shortest prefix that leaves a name of at most 100 bytes. The prefix is never
 * empty: a reader joins a non-empty prefix with '/', so splitting "/x" at its
 * leading slash would lose that slash. Null when no split fits. A '/' byte
 * never occurs inside a multi-byte UTF-8 sequence, so a split never cuts a
 * character.
 */
export function splitUstarName(path: Uint8Array): { prefix: Uint8Array; name: Uint8Array } | null {
  if (path.length <= NAME_MAX) return { prefix: new Uint8Array(0), name: path };
  for (let i = 1; i <= PREFIX_MAX && i < path.length; i++) {
    if (path[i] !== SLASH) continue;
    if (path.length - i - 1 > NAME_MAX) continue;
    return { prefix: path.subarray(0, i), name: path.subarray(i + 1) };
  }
  return null;
}

/**
 * The content of a PAX extended header carrying `path`: one record
 * "<length> path=<value>\n" whose decimal length counts its own digits.
 */
export function paxPathRecord(path: Uint8Array): Uint8Array {
  const rest = 6 + path.length + 1; // " path=" + value + "\n"
  let length = rest + 1;
  while (String(length).length + rest !== length) length = String(length).length + rest;
  const record = new Uint8Array(length);
  const head = encoder.encode(`${length} path=`);
  record.set(head, 0);
  record.set(path, head.length);
  record[length - 1] = 0x0a;
  return record;
}

/** Header fields of the PAX extended header that precedes an entry with a long path. */
export function paxHeaderFields(recordLength: number, mtime: number): HeaderFields {
  return { name: PAX_HEADER_NAME, prefix: new Uint8Array(0), mode: 0o644, size: recordLength, mtime, typeflag: 'x' };
}

/**
 * The ustar name kept in an entry whose real path travels in a PAX header:
 * the path's first 100 bytes, cut back to a character boundary. Only a
 * reader that ignores PAX headers ever sees it.
 */
export function fallbackName(path: Uint8Array): Uint8Array {
  let end = Math.min(path.length, NAME_MAX);
  // 0b10xxxxxx is a continuation byte: back off to the start of its character.
  if (end < path.length) while (end > 0 && (path[end]! & 0xc0) === 0x80) end--;
  return path.subarray(0, end);
}
