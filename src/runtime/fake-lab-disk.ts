import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { LabDisk } from '../drivers/fake/machine-memory.ts';

const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

/**
 * FAKE_LAB_DISK_DIR on Node and Deno: each simulated machine's files under
 * `<dir>/<hostname>/`, at their tarball paths. A path that would leave the
 * machine's directory is refused, whatever the tarball says.
 */
export function createLabDisk(root: string): LabDisk {
  const base = resolve(root);
  return {
    async writeFile(hostname, path, content, mode) {
      if (!HOSTNAME.test(hostname) || hostname.includes('..')) throw new Error(`bad machine name ${JSON.stringify(hostname)}`);
      const machine = resolve(base, hostname);
      const target = resolve(machine, path.replace(/^\/+/, ''));
      if (!target.startsWith(machine + sep)) throw new Error(`refusing to write ${JSON.stringify(path)} outside ${machine}`);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await writeFile(target, content, { mode: mode & 0o777 });
      // writeFile's mode applies only to a new file, and through the umask.
      await chmod(target, mode & 0o7777);
    },
  };
}
