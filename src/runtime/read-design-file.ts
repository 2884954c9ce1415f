import { constants } from 'node:fs';
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { sep } from 'node:path';
import { ConfigError } from '../core/config.ts';
import { FileRefused, type ReadFileLimits } from '../design/resolve/index.ts';
import { concatBytes } from '../core/read-limited.ts';

/**
 * Reads a file:// design on Node and Deno (both through node:fs).
 *
 * open() of a FIFO blocks until a writer comes, inside a libuv pool thread
 * that no timeout can free: four such requests took every thread, after
 * which nothing that hashes a token ran and SIGTERM could not stop the
 * process. So what the path is gets decided by realpath() and stat(), which
 * never open it; only a regular file below the root is opened, non-blocking
 * and without following a final symlink, and the handle must be the very
 * file that was checked (a swap between stat and open is refused).
 *
 * An intermediate folder swapped for a symlink between the checks could
 * still lead out of the root (Node has no openat2 RESOLVE_BENEATH); doing
 * that needs write access below the root, i.e. control of the designs.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
const CHUNK = 64 * 1024;

function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Up to maxBytes (the file may grow after stat), giving up when the deadline passes. */
async function readUpTo(handle: FileHandle, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    signal.throwIfAborted();
    const buffer = new Uint8Array(CHUNK);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > maxBytes) throw new FileRefused('too-large');
    chunks.push(buffer.subarray(0, bytesRead));
  }
  return concatBytes(chunks, total);
}

export async function readDesignFile(path: string, { root, maxBytes, signal }: ReadFileLimits): Promise<Uint8Array> {
  const [real, realRoot] = await Promise.all([realpath(path), realpath(root)]);
  if (!within(real, realRoot)) throw new FileRefused('outside-root');
  const checked = await stat(real);
  if (!checked.isFile()) throw new FileRefused('not-regular');
  if (checked.size > maxBytes) throw new FileRefused('too-large');
  const handle = await open(real, OPEN_FLAGS);
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== checked.ino || opened.dev !== checked.dev) throw new FileRefused('not-regular');
    return await readUpTo(handle, maxBytes, signal);
  } finally {
    await handle.close();
  }
}

/** At start: a root that is not a folder is an operator's typo, better stopped than a 400 per ref. */
export async function checkDesignFileRoot(root: string): Promise<void> {
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new ConfigError('DESIGN_FILE_ROOT', `${root} is not a folder on this server`);
}
