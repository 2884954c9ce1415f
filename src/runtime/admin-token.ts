import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sha256Hex, toHex } from '../core/digest.ts';
import type { StaticToken } from '../auth/static-tokens.ts';

export interface AdminToken {
  path: string;
  created: boolean;
  entry: StaticToken;
}

/**
 * The embedded default's first-start credential: a random admin token in a
 * 0600 file. Only its path is ever printed; the service keeps its digest.
 * `wx` makes two processes starting together agree on one token.
 */
export async function ensureAdminToken(path: string): Promise<AdminToken> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let created = false;
  try {
    const token = `ddt_${toHex(crypto.getRandomValues(new Uint8Array(32)))}`;
    await writeFile(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
  }
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) await chmod(path, 0o600);
  const token = (await readFile(path, 'utf8')).trim();
  if (!token) throw new Error(`admin token file ${path} is empty; delete it to generate a new token`);
  return { path, created, entry: { name: 'admin', roles: ['admin'], digest: await sha256Hex(token) } };
}
