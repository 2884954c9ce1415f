import { chmod, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultBody } from './protocol.ts';

/**
 * Results on disk until the edge acknowledged them (200, or 409: another
 * lease owns the call). One file per call, mode 0600 in a 0700 folder: a
 * result may hold a driver's detail of the site. Written before the first
 * post, so a crash or an outage between running a call and the edge's
 * answer loses nothing.
 */
export interface SpooledResult {
  call_id: string;
  body: ResultBody;
  /** When it was spooled (ISO), for the operator reading the folder. */
  spooled: string;
}

export interface Spool {
  readonly dir: string;
  write(entry: SpooledResult): Promise<void>;
  /** Every spooled result, oldest first. Unreadable files are set aside (`.rejected`) and reported. */
  list(): Promise<{ entries: SpooledResult[]; setAside: string[] }>;
  remove(callId: string): Promise<void>;
  /** Keeps a result the edge will never accept (400, 404) out of the way, for an operator to look at. */
  setAside(callId: string): Promise<void>;
}

// Call ids are ULIDs or UUIDs; anything else is hex-encoded so a name can never leave the folder.
const SAFE = /^[A-Za-z0-9_-]{1,128}$/;
const fileOf = (callId: string) =>
  `${SAFE.test(callId) ? callId : `x${[...new TextEncoder().encode(callId)].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 200)}`}.json`;

export async function openSpool(dir: string): Promise<Spool> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let counter = 0;
  const pathOf = (callId: string) => join(dir, fileOf(callId));
  return {
    dir,
    async write(entry) {
      // Write then rename: a crash leaves the old file or the new one, never half of one.
      const tmp = join(dir, `.${process.pid}-${counter++}.tmp`);
      await writeFile(tmp, JSON.stringify(entry), { mode: 0o600 });
      await chmod(tmp, 0o600); // the umask cannot widen it, but an existing file keeps its mode
      await rename(tmp, pathOf(entry.call_id));
    },
    async list() {
      const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
      const read = await Promise.all(
        names.map(async (name) => {
          try {
            const entry = JSON.parse(await readFile(join(dir, name), 'utf8')) as SpooledResult;
            if (typeof entry?.call_id !== 'string' || typeof entry.body?.lease_id !== 'string') throw new Error('not a spooled result');
            return { name, entry };
          } catch {
            return { name, entry: null };
          }
        }),
      );
      const setAside: string[] = [];
      for (const { name, entry } of read) {
        if (entry) continue;
        await rename(join(dir, name), join(dir, `${name}.rejected`)).catch(() => {});
        setAside.push(name);
      }
      const entries = read.flatMap((r) => (r.entry ? [r.entry] : []));
      entries.sort((a, b) => a.spooled.localeCompare(b.spooled));
      return { entries, setAside };
    },
    async remove(callId) {
      await unlink(pathOf(callId)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    },
    async setAside(callId) {
      await rename(pathOf(callId), `${pathOf(callId)}.rejected`).catch(() => {});
    },
  };
}
