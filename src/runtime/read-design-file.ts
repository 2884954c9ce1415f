import { open } from 'node:fs/promises';
import type { ReadFileLimits } from '../design/resolve/index.ts';

/**
 * Reads a file:// design on Node and Deno: regular files only (never a
 * device, FIFO or directory, which could hang or exhaust the server), no
 * larger than the design size limit, and abandoned when the resolver's
 * deadline passes.
 */
export async function readDesignFile(path: string, limits?: ReadFileLimits): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error('not a regular file');
    if (limits && info.size > limits.maxBytes) throw new Error(`design exceeds the limit of ${limits.maxBytes} bytes`);
    const data = await handle.readFile({ signal: limits?.signal });
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } finally {
    await handle.close();
  }
}
