import { gzipSync } from 'fflate';
import { sha256Hex } from '../core/digest.ts';
import { writeTar, type TarEntryInput } from './tar/write.ts';

export { readTarball, type TarEntry } from './tar/read.ts';

/**
 * The gzip tarballs that nodes download (`…/files`, `…/units`), built in
 * memory. Compatible with Drydock's `BootactionUtils.tarbuilder`: one
 * regular-file entry per asset at its absolute path (nodes extract with
 * `tar -xP`), mode from the asset, uid/gid 0, mtime 0, and no directory
 * entries (Drydock adds none; tar creates missing parents on extraction, and
 * the tarball must not gain entries the design did not ask for).
 *
 * Differences from Drydock, on purpose:
 * - Identical input gives identical bytes, so the ETag is stable: Python's
 *   gzip stamps the current time into its header; here the gzip header has
 *   mtime 0 and no file name. fflate is pure JS, so the bytes are also the
 *   same on Node, Deno and workerd (CompressionStream output depends on the
 *   runtime's zlib).
 * - One entry per path: Drydock appends duplicates and lets extraction keep
 *   the last; here the later file replaces the earlier, at its own position,
 *   which extracts to the same tree.
 * - Long paths: Drydock writes GNU long-name records; here a path over 100
 *   bytes uses the ustar prefix field when it splits at a '/', otherwise a
 *   PAX extended header, both read by GNU tar, bsdtar, busybox and Go.
 * - Owner names are root/root (Drydock leaves them empty); either extracts
 *   as uid/gid 0.
 * - Paths with '..' segments, empty paths and NUL bytes are refused.
 */
export interface TarFile {
  path: string;
  /** Permission bits, e.g. 0o600; only the low 12 bits are kept, as Python's tarfile does. */
  mode: number;
  content: Uint8Array;
}

/** Every entry's mtime (seconds since the epoch), as Drydock's tarfile.TarInfo default. */
export const TARBALL_MTIME = 0;

/** Deflate level: fflate's default, the same as gzip's. */
const GZIP_LEVEL = 6;

export class TarPathError extends Error {
  override name = 'TarPathError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`boot action asset path ${JSON.stringify(path)} ${reason}`);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A path's UTF-8 bytes, or a TarPathError saying why it cannot go into a tarball. */
export function encodeTarPath(path: string): Uint8Array {
  if (path === '') throw new TarPathError(path, 'is empty');
  if (path.includes('\u0000')) throw new TarPathError(path, 'contains a NUL byte');
  if (path.endsWith('/')) throw new TarPathError(path, 'ends with "/" (names a directory, not a file)');
  if (path.split('/').includes('..')) throw new TarPathError(path, 'has a ".." segment');
  const bytes = encoder.encode(path);
  // A lone surrogate would be written as U+FFFD: a different path than asked for.
  if (decoder.decode(bytes) !== path) throw new TarPathError(path, 'is not valid Unicode');
  return bytes;
}

function entryOf(file: TarFile, path: Uint8Array): TarEntryInput {
  if (!Number.isInteger(file.mode) || file.mode < 0) throw new RangeError(`bad mode ${file.mode} for ${JSON.stringify(file.path)}`);
  return { path, mode: file.mode & 0o7777, content: file.content };
}

/** The uncompressed tar: every path checked, the last file of each path kept. */
export function buildTar(files: readonly TarFile[]): Uint8Array<ArrayBuffer> {
  const entries = files.map((f) => entryOf(f, encodeTarPath(f.path)));
  const last = new Map<string, number>();
  files.forEach((f, i) => last.set(f.path, i));
  return writeTar(
    entries.filter((_, i) => last.get(files[i]!.path) === i),
    TARBALL_MTIME,
  );
}

export async function buildTarball(files: TarFile[]): Promise<{ bytes: Uint8Array<ArrayBuffer>; etag: string }> {
  const bytes = gzipSync(buildTar(files), { level: GZIP_LEVEL, mtime: 0 });
  return { bytes, etag: `"${await sha256Hex(bytes)}"` };
}
