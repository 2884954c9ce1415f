import { gunzipSync } from 'fflate';
import { BLOCK } from './header.ts';

/**
 * A small tar reader for the project's own tarballs (the simulated node
 * unpacks and checks them, and tests read them back). nanotar's parseTar
 * cannot stand in: it ignores the ustar prefix field, so a split long path
 * comes back as its last part, and it splits PAX records at spaces and '=',
 * so a path containing either comes back cut. This reader understands
 * ustar prefixes, PAX `path` records and GNU long names, and verifies every
 * header checksum. It returns paths exactly as stored: a caller writing to
 * disk must confine them itself.
 */
export interface TarEntry {
  path: string;
  /** The typeflag: '0' regular file, '5' directory, ... */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  content: Uint8Array;
}

export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

const decoder = new TextDecoder();

function trimNul(bytes: Uint8Array): Uint8Array {
  const nul = bytes.indexOf(0);
  return nul === -1 ? bytes : bytes.subarray(0, nul);
}

const text = (bytes: Uint8Array) => decoder.decode(trimNul(bytes));

function octal(block: Uint8Array, offset: number, width: number): number {
  const digits = text(block.subarray(offset, offset + width)).trim();
  if (!/^[0-7]+$/.test(digits)) throw new TarFormatError(`bad octal field at header offset ${offset}`);
  return parseInt(digits, 8);
}

function checksumOk(block: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === octal(block, 148, 8);
}

/** The `path` value of PAX records "<len> key=value\n", read by their byte lengths. */
function paxPath(data: Uint8Array): string | null {
  let path: string | null = null;
  for (let at = 0; at < data.length; ) {
    const space = data.indexOf(0x20, at);
    const length = space === -1 ? NaN : Number(decoder.decode(data.subarray(at, space)));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) throw new TarFormatError('bad PAX record');
    const record = decoder.decode(data.subarray(space + 1, at + length - 1));
    const eq = record.indexOf('=');
    if (eq !== -1 && record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    at += length;
  }
  return path;
}

const isZero = (block: Uint8Array) => block.every((b) => b === 0);

export function readTar(tar: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let longPath: string | null = null;
  for (let at = 0; at + BLOCK <= tar.length; ) {
    const block = tar.subarray(at, at + BLOCK);
    if (isZero(block)) break;
    if (!checksumOk(block)) throw new TarFormatError(`bad header checksum at byte ${at}`);
    const size = octal(block, 124, 12);
    const start = at + BLOCK;
    if (start + size > tar.length) throw new TarFormatError('truncated tar entry');
    const data = tar.subarray(start, start + size);
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    const type = block[156] === 0 ? '0' : String.fromCharCode(block[156]!);
    if (type === 'x') {
      longPath = paxPath(data) ?? longPath;
      continue;
    }
    if (type === 'L') {
      longPath = text(data);
      continue;
    }
    if (type === 'g') continue;
    // Only POSIX ustar ("ustar\0" "00") has a prefix; old GNU headers keep other data there.
    const posix = text(block.subarray(257, 263)) === 'ustar' && block[262] === 0;
    const name = text(block.subarray(0, 100));
    const prefix = posix ? text(block.subarray(345, 500)) : '';
    const path = longPath ?? (prefix ? `${prefix}/${name}` : name);
    longPath = null;
    const [mode, uid, gid, mtime] = [octal(block, 100, 8), octal(block, 108, 8), octal(block, 116, 8), octal(block, 136, 12)];
    entries.push({ path, type, mode, uid, gid, mtime, content: data.slice() });
  }
  return entries;
}

/** Reads a gzip-compressed tarball such as buildTarball makes. */
export function readTarball(gz: Uint8Array): TarEntry[] {
  return readTar(gunzipSync(gz));
}
