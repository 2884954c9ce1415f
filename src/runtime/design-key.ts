import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, type Config } from '../core/config.ts';
import { keyBytesOf } from '../core/secret-box.ts';

/**
 * The key stored designs are sealed with, on Node/Deno: DESIGN_ENCRYPTION_KEY
 * when set, else the key in DESIGN_KEY_FILE, made (0600, `wx` so two
 * processes starting together agree on one) on first start. Losing the
 * file makes the stored designs unreadable, as losing a database key would.
 */
export async function designKeyFor(config: Config): Promise<{ key: Uint8Array<ArrayBuffer>; path: string | null; created: boolean }> {
  if (config.DESIGN_ENCRYPTION_KEY) return { key: keyBytesOf(config.DESIGN_ENCRYPTION_KEY)!, path: null, created: false };
  const path = config.DESIGN_KEY_FILE;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let created = false;
  try {
    const fresh = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    await writeFile(path, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  const key = keyBytesOf(await readFile(path, 'utf8'));
  if (!key) throw new ConfigError('DESIGN_KEY_FILE', `${path} does not hold a 32-byte base64 key`);
  return { key, path, created };
}
