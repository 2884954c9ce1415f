import {
  BLOCK,
  MAX_ENTRY_SIZE,
  fallbackName,
  paxHeaderFields,
  paxPathRecord,
  splitUstarName,
  writeHeader,
  type HeaderFields,
} from './header.ts';

/** GNU tar and Python's tarfile both write whole 20-block records; readers never need it, but old ones expect it. */
const RECORD = 20 * BLOCK;

export interface TarEntryInput {
  /** UTF-8 bytes of the path, already checked by the caller. */
  path: Uint8Array;
  mode: number;
  content: Uint8Array;
}

interface Part {
  header: HeaderFields;
  data: Uint8Array;
}

const padded = (size: number) => Math.ceil(size / BLOCK) * BLOCK;

/** The header(s) of one entry: a bare ustar header, or a PAX header carrying the whole path first. */
function partsOf(entry: TarEntryInput, mtime: number): Part[] {
  if (entry.content.length > MAX_ENTRY_SIZE) throw new RangeError('tar entry larger than 8 GiB');
  const file = { mode: entry.mode, size: entry.content.length, mtime, typeflag: '0' as const };
  const split = splitUstarName(entry.path);
  if (split) return [{ header: { ...file, ...split }, data: entry.content }];
  const record = paxPathRecord(entry.path);
  return [
    { header: paxHeaderFields(record.length, mtime), data: record },
    { header: { ...file, name: fallbackName(entry.path), prefix: new Uint8Array(0) }, data: entry.content },
  ];
}

/**
 * An uncompressed tar archive of regular files, in the given order, ending
 * with the two zero blocks of end-of-archive and padded to a whole record.
 */
export function writeTar(entries: readonly TarEntryInput[], mtime: number): Uint8Array<ArrayBuffer> {
  const parts = entries.flatMap((e) => partsOf(e, mtime));
  let size = 2 * BLOCK;
  for (const p of parts) size += BLOCK + padded(p.data.length);
  const out = new Uint8Array(Math.ceil(size / RECORD) * RECORD);
  let at = 0;
  for (const p of parts) {
    writeHeader(out, at, p.header);
    out.set(p.data, at + BLOCK);
    at += BLOCK + padded(p.data.length);
  }
  return out;
}
