import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildTar, buildTarball, readTarball, TarPathError, type TarFile } from '../../src/bootaction/tarball.ts';
import { readTar, TarFormatError } from '../../src/bootaction/tar/read.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, content: string | Uint8Array, mode = 0o600): TarFile => ({
  path,
  mode,
  content: typeof content === 'string' ? enc(content) : content,
});

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tarball-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.useRealTimers();
});

/** Runs the system tar on the bytes, saved to a temp file. */
function tar(bytes: Uint8Array, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const path = join(tempDir(), 'ball.tar.gz');
  writeFileSync(path, bytes);
  const r = spawnSync('tar', [...args, path], { env: { ...process.env, TZ: 'UTC' }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Listed {
  perms: string;
  owner: string;
  size: number;
  date: string;
  path: string;
}

/** `tar -tvzPf` (P: names as stored, no "Removing leading /" note), names unescaped. */
function list(bytes: Uint8Array, numeric = false): Listed[] {
  const r = tar(bytes, [...(numeric ? ['--numeric-owner'] : []), '--quoting-style=literal', '-tvzPf']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^(\S+) (\S+)\s+(\d+) (\S+ \S+) (.*)$/.exec(line);
      if (!m) throw new Error(`unexpected tar line: ${line}`);
      return { perms: m[1]!, owner: m[2]!, size: Number(m[3]), date: m[4]!, path: m[5]! };
    });
}

/** Extracts with the system tar into a fresh directory; tar strips the leading '/' so nothing lands outside it. */
function extract(bytes: Uint8Array): string {
  const dest = tempDir();
  mkdirSync(join(dest, 'root'));
  const r = tar(bytes, ['-C', join(dest, 'root'), '-xzpf']);
  expect(r.status).toBe(0);
  expect(r.stderr.split('\n').filter((l) => l && !l.includes("Removing leading `/'"))).toEqual([]);
  return join(dest, 'root');
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const path180 = `/opt/${'d'.repeat(80)}/${'f'.repeat(94)}`;
/** No ustar split fits: the only '/' that leaves a name of at most 100 bytes comes after 205 bytes of prefix. */
const path300 = `/srv/${'a'.repeat(200)}/${'b'.repeat(94)}`;

describe('buildTarball', () => {
  it('lists each file at its absolute path with its mode, root/root and mtime 1970-01-01', async () => {
    const { bytes } = await buildTarball([
      file('/etc/secret', 'key\n', 0o600),
      file('/usr/local/bin/run.sh', '#!/bin/sh\n', 0o755),
      file('/var/tmp/hello.sh', 'echo hi\n', 0o555),
      file('/usr/local/bin/suid', 'x', 0o4755),
    ]);
    expect(list(bytes)).toEqual([
      { perms: '-rw-------', owner: 'root/root', size: 4, date: '1970-01-01 00:00', path: '/etc/secret' },
      { perms: '-rwxr-xr-x', owner: 'root/root', size: 10, date: '1970-01-01 00:00', path: '/usr/local/bin/run.sh' },
      { perms: '-r-xr-xr-x', owner: 'root/root', size: 8, date: '1970-01-01 00:00', path: '/var/tmp/hello.sh' },
      { perms: '-rwsr-xr-x', owner: 'root/root', size: 1, date: '1970-01-01 00:00', path: '/usr/local/bin/suid' },
    ]);
  });

  it('writes uid and gid 0', async () => {
    const { bytes } = await buildTarball([file('/etc/a', 'a'), file(path300, 'b')]);
    expect(list(bytes, true).map((e) => e.owner)).toEqual(['0/0', '0/0']);
  });

  it('adds no directory entries, as Drydock adds none', async () => {
    const { bytes } = await buildTarball([file('/etc/systemd/system/a.service', 'a'), file('/opt/x/y/z', 'b')]);
    const listed = list(bytes);
    expect(listed.map((e) => e.path)).toEqual(['/etc/systemd/system/a.service', '/opt/x/y/z']);
    expect(listed.every((e) => e.perms.startsWith('-'))).toBe(true);
  });

  it('extracts contents byte for byte, including binary, empty and block-sized files', async () => {
    const binary = Uint8Array.from({ length: 768 }, (_, i) => i % 256);
    const files = [
      file('/a/binary', binary),
      file('/a/empty', new Uint8Array(0)),
      file('/a/block', new Uint8Array(512).fill(7)),
      file('/a/block-and-one', new Uint8Array(513).fill(9)),
    ];
    const root = extract((await buildTarball(files)).bytes);
    for (const f of files) expect(new Uint8Array(readFileSync(join(root, f.path)))).toEqual(f.content);
  });

  it('keeps the modes on extraction', async () => {
    const root = extract((await buildTarball([file('/p/ro', 'x', 0o400), file('/p/exec', 'x', 0o750)])).bytes);
    expect(statSync(join(root, 'p/ro')).mode & 0o7777).toBe(0o400);
    expect(statSync(join(root, 'p/exec')).mode & 0o7777).toBe(0o750);
  });

  it.each([
    ['exactly 100 bytes (a name field with no NUL)', `/${'n'.repeat(99)}`],
    ['180 bytes (ustar prefix split)', path180],
    ['256 bytes: a 155-byte prefix and a 100-byte name', `/${'p'.repeat(154)}/${'n'.repeat(100)}`],
    ['300 bytes with no split that fits (PAX header)', path300],
    ['a last component over 100 bytes (PAX header)', `/etc/${'c'.repeat(150)}`],
    ['spaces and "=" over 100 bytes (PAX header)', `/etc/a b=c/${'w '.repeat(60)}=v`],
    ['multi-byte UTF-8 over 100 bytes', `/x/${'é'.repeat(120)}`],
  ])('keeps a path of %s whole', async (_, path) => {
    const { bytes } = await buildTarball([file(path, 'long', 0o644), file('/after', 'next')]);
    expect(list(bytes).map((e) => e.path)).toEqual([path, '/after']);
    const root = extract(bytes);
    expect(readFileSync(join(root, path), 'utf8')).toBe('long');
    expect(readTarball(bytes).map((e) => e.path)).toEqual([path, '/after']);
  });

  it('uses the ustar prefix when a split fits, and a PAX header only when none does', () => {
    const typeflags = (path: string) => {
      const raw = buildTar([file(path, 'x')]);
      return { first: String.fromCharCode(raw[156]!), prefix: raw[345] !== 0 };
    };
    expect(typeflags(path180)).toEqual({ first: '0', prefix: true });
    expect(typeflags(path300)).toEqual({ first: 'x', prefix: false });
    expect(typeflags('/etc/short')).toEqual({ first: '0', prefix: false });
  });

  it('keeps one entry per path: the later file, at its own position', async () => {
    const { bytes } = await buildTarball([
      file('/etc/dup', 'first', 0o600),
      file('/etc/other', 'other'),
      file('/etc/dup', 'second', 0o755),
    ]);
    expect(list(bytes).map((e) => [e.path, e.perms])).toEqual([
      ['/etc/other', '-rw-------'],
      ['/etc/dup', '-rwxr-xr-x'],
    ]);
    expect(readFileSync(join(extract(bytes), 'etc/dup'), 'utf8')).toBe('second');
  });

  it('gives identical bytes and ETag for identical input, whatever the clock says', async () => {
    const files = [file('/etc/a', 'a'), file(path300, 'b', 0o755)];
    const first = await buildTarball(files);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-05-06T07:08:09Z'));
    const second = await buildTarball(files.map((f) => ({ ...f, content: f.content.slice() })));
    expect(second.bytes).toEqual(first.bytes);
    expect(second.etag).toBe(first.etag);
  });

  it('writes a gzip header with no timestamp and no file name', async () => {
    const { bytes } = await buildTarball([file('/etc/a', 'a')]);
    expect([bytes[0], bytes[1], bytes[2]]).toEqual([0x1f, 0x8b, 8]);
    expect(bytes[3]).toBe(0); // FLG: no FNAME, FCOMMENT, FEXTRA
    expect(Array.from(bytes.subarray(4, 8))).toEqual([0, 0, 0, 0]); // MTIME
  });

  it('answers a strong ETag: the quoted SHA-256 hex of the gzip bytes', async () => {
    const a = await buildTarball([file('/etc/a', 'a')]);
    const b = await buildTarball([file('/etc/a', 'b')]);
    expect(a.etag).toBe(`"${sha256(a.bytes)}"`);
    expect(a.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(b.etag).not.toBe(a.etag);
  });

  it('changes the ETag when only a mode changes', async () => {
    const a = await buildTarball([file('/etc/a', 'a', 0o600)]);
    const b = await buildTarball([file('/etc/a', 'a', 0o644)]);
    expect(b.etag).not.toBe(a.etag);
  });

  it('makes a valid empty tarball from no files', async () => {
    const { bytes } = await buildTarball([]);
    expect(list(bytes)).toEqual([]);
    const tarBytes = gunzipSync(bytes);
    expect(tarBytes.length).toBe(10240);
    expect(tarBytes.every((b) => b === 0)).toBe(true);
    expect(readTarball(bytes)).toEqual([]);
  });

  it.each([
    ['a ".." segment in the middle', '/etc/../shadow'],
    ['a leading ".." segment', '../etc/passwd'],
    ['a trailing ".." segment', '/etc/..'],
    ['an empty path', ''],
    ['a NUL byte', '/etc/a\u0000b'],
    ['a trailing slash', '/etc/'],
    ['a lone surrogate', '/etc/\ud800'],
  ])('refuses a path with %s', async (_, path) => {
    const attempt = buildTarball([file('/ok', 'x'), file(path, 'x')]);
    await expect(attempt).rejects.toBeInstanceOf(TarPathError);
    await expect(attempt).rejects.toMatchObject({ path });
  });

  it('accepts names that merely contain dots', async () => {
    const { bytes } = await buildTarball([file('/etc/..d/x', 'a'), file('/etc/x..', 'b'), file('/etc/./y', 'c')]);
    expect(list(bytes).map((e) => e.path)).toEqual(['/etc/..d/x', '/etc/x..', '/etc/./y']);
  });

  it('keeps only the permission bits of a mode, as Python tarfile does', async () => {
    const { bytes } = await buildTarball([file('/etc/a', 'a', 0o100644)]);
    expect(list(bytes)[0]!.perms).toBe('-rw-r--r--');
  });

  it('refuses a negative or fractional mode', async () => {
    await expect(buildTarball([file('/etc/a', 'a', -1)])).rejects.toBeInstanceOf(RangeError);
    await expect(buildTarball([file('/etc/a', 'a', 1.5)])).rejects.toBeInstanceOf(RangeError);
  });
});

describe('readTarball', () => {
  it('reads back every field the builder wrote', async () => {
    const files = [file('/etc/a', 'alpha', 0o640), file(path180, 'b', 0o755), file(path300, new Uint8Array([0, 1, 2]))];
    expect(readTarball((await buildTarball(files)).bytes)).toEqual(
      files.map((f) => ({ path: f.path, type: '0', mode: f.mode, uid: 0, gid: 0, mtime: 0, content: f.content })),
    );
  });

  it('reads GNU long-name records, the format Drydock writes', () => {
    const src = tempDir();
    const name = 'g'.repeat(150);
    writeFileSync(join(src, name), 'gnu');
    const out = join(tempDir(), 'gnu.tar.gz');
    const r = spawnSync('tar', ['--format=gnu', '-czf', out, '-C', src, name]);
    expect(r.status).toBe(0);
    const entries = readTarball(new Uint8Array(readFileSync(out)));
    expect(entries.map((e) => [e.path, new TextDecoder().decode(e.content)])).toEqual([[name, 'gnu']]);
  });

  it('refuses a header whose checksum does not match', () => {
    const raw = buildTar([file('/etc/a', 'a')]);
    raw[0] = 'X'.charCodeAt(0);
    expect(() => readTar(raw)).toThrow(TarFormatError);
  });
});
