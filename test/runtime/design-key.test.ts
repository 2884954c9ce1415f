import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { designKeyFor } from '../../src/runtime/design-key.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'design-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('design key on Node/Deno', () => {
  it('makes a 0600 key file on first start and reads the same key afterwards', async () => {
    const path = join(dir, 'sub', 'design-key');
    const config = loadConfig({ AUTH_MODE: 'none', DESIGN_KEY_FILE: path });
    const first = await designKeyFor(config);
    expect(first).toMatchObject({ path, created: true });
    expect(first.key).toHaveLength(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const again = await designKeyFor(config);
    expect(again.created).toBe(false);
    expect(again.key).toEqual(first.key);
  });

  it('two processes starting together agree on one key', async () => {
    const config = loadConfig({ AUTH_MODE: 'none', DESIGN_KEY_FILE: join(dir, 'k') });
    const [a, b] = await Promise.all([designKeyFor(config), designKeyFor(config)]);
    expect(a.key).toEqual(b.key);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
  });

  it('takes DESIGN_ENCRYPTION_KEY over the file, and writes no file then', async () => {
    const given = crypto.getRandomValues(new Uint8Array(32));
    const config = loadConfig({ AUTH_MODE: 'none', DESIGN_ENCRYPTION_KEY: Buffer.from(given).toString('base64'), DESIGN_KEY_FILE: join(dir, 'k') });
    expect(await designKeyFor(config)).toEqual({ key: given, path: null, created: false });
    await expect(stat(join(dir, 'k'))).rejects.toThrow();
  });

  it('refuses a damaged key file, naming it', async () => {
    await writeFile(join(dir, 'k'), 'not a key\n', { mode: 0o600 });
    const config = loadConfig({ AUTH_MODE: 'none', DESIGN_KEY_FILE: join(dir, 'k') });
    await expect(designKeyFor(config)).rejects.toThrow(/DESIGN_KEY_FILE: .*k does not hold a 32-byte base64 key/);
    expect(await readFile(join(dir, 'k'), 'utf8')).toBe('not a key\n');
  });

  it('refuses a DESIGN_ENCRYPTION_KEY that is not 32 bytes of base64', () => {
    expect(() => loadConfig({ AUTH_MODE: 'none', DESIGN_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/DESIGN_ENCRYPTION_KEY must be 32 bytes in base64/);
  });
});
