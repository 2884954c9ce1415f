import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRefused } from '../../src/design/resolve/index.ts';
import { ConfigError } from '../../src/core/config.ts';
import { checkDesignFileRoot, readDesignFile } from '../../src/runtime/read-design-file.ts';

let dir: string;
let root: string;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const limits = (over: { root?: string; maxBytes?: number } = {}) => ({
  root,
  maxBytes: 1024,
  signal: AbortSignal.timeout(5000),
  ...over,
});
const refusal = (promise: Promise<unknown>) => promise.then(() => 'read', (e: unknown) => (e instanceof FileRefused ? e.why : (e as { code?: string }).code));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-design-files-'));
  root = join(dir, 'designs');
  await mkdir(join(root, 'site'), { recursive: true });
  await writeFile(join(root, 'site', 'site.yaml'), 'a: 1\n');
  await writeFile(join(dir, 'admin-token'), 'ddt_secret\n');
  await mkdir(join(dir, 'elsewhere'));
  await writeFile(join(dir, 'elsewhere', 'x.yaml'), 'x: 1\n');
  await symlink(join(root, 'site', 'site.yaml'), join(root, 'current.yaml'));
  await symlink(join(dir, 'admin-token'), join(root, 'token.yaml'));
  await symlink(join(dir, 'elsewhere'), join(root, 'linked'));
  await symlink('/dev/zero', join(root, 'zero.yaml'));
  execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readDesignFile', () => {
  it('reads a regular file below the root, also through a symlink that stays inside', async () => {
    expect(text(await readDesignFile(join(root, 'site', 'site.yaml'), limits()))).toBe('a: 1\n');
    expect(text(await readDesignFile(join(root, 'current.yaml'), limits()))).toBe('a: 1\n');
  });

  it('refuses a symlink, or a symlinked folder, whose real path is outside the root', async () => {
    expect(await refusal(readDesignFile(join(root, 'token.yaml'), limits()))).toBe('outside-root');
    expect(await refusal(readDesignFile(join(root, 'linked', 'x.yaml'), limits()))).toBe('outside-root');
    expect(await refusal(readDesignFile(join(root, 'zero.yaml'), limits()))).toBe('outside-root');
  });

  it('refuses a FIFO, a device and a folder without opening them', async () => {
    // open() of this FIFO would wait for a writer forever.
    expect(await refusal(readDesignFile(join(root, 'fifo.yaml'), limits()))).toBe('not-regular');
    expect(await refusal(readDesignFile('/dev/zero', limits({ root: '/dev' })))).toBe('not-regular');
    expect(await refusal(readDesignFile(join(root, 'site'), limits()))).toBe('not-regular');
  });

  it('refuses a file over the size limit and reports a missing one', async () => {
    expect(await refusal(readDesignFile(join(root, 'site', 'site.yaml'), limits({ maxBytes: 4 })))).toBe('too-large');
    expect(await refusal(readDesignFile(join(root, 'nope.yaml'), limits()))).toBe('ENOENT');
  });

  it('stops start-up when DESIGN_FILE_ROOT is not a folder', async () => {
    await expect(checkDesignFileRoot(root)).resolves.toBeUndefined();
    await expect(checkDesignFileRoot(join(dir, 'admin-token'))).rejects.toBeInstanceOf(ConfigError);
    await expect(checkDesignFileRoot(join(dir, 'missing'))).rejects.toThrow(/DESIGN_FILE_ROOT: .* is not a folder on this server/);
  });
});
