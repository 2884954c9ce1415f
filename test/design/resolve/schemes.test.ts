import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/types.ts';
import { FileRefused, type ReadFileLimits } from '../../../src/design/resolve/index.ts';
import { memoryDatabase, rejection, resolverFor } from './setup.ts';

let database: Database;
beforeAll(async () => {
  database = await memoryDatabase();
});
afterAll(async () => {
  await database.close();
});

const enoent = () => Object.assign(new Error('ENOENT: no such file or directory, open /x'), { code: 'ENOENT' });

describe('design_ref schemes', () => {
  it('refuses an unsupported scheme, naming it', async () => {
    const err = await rejection(resolverFor(database).resolver.resolve('ftp://designs.example.com/site.yaml'));
    expect(err.message).toMatch(/^Cannot resolve design_ref ftp:\/\/designs\.example\.com\/site\.yaml: unsupported scheme ftp:;/);
  });

  it('refuses a scheme that names an Object.prototype member', async () => {
    const err = await rejection(resolverFor(database).resolver.resolve('constructor://x'));
    expect(err.message).toContain('unsupported scheme constructor:');
  });

  it('refuses a ref that is not a URI, and an empty one', async () => {
    expect((await rejection(resolverFor(database).resolver.resolve('/etc/site.yaml'))).message).toContain('not a URI');
    expect((await rejection(resolverFor(database).resolver.resolve('  '))).message).toContain('a design_ref is required');
  });

  it('refuses an http ref that is not a valid URL without echoing what may be credentials', async () => {
    const err = await rejection(resolverFor(database).resolver.resolve('http://user:pa ss@[bad/x'));
    expect(err.message).toBe('Cannot resolve design_ref http:…: not a valid URL');
  });
});

describe('file:// design refs', () => {
  const root = '/srv/designs';

  it('reads a path below DESIGN_FILE_ROOT through readFile, telling it the root', async () => {
    const reads: [string, ReadFileLimits][] = [];
    const readFile = async (path: string, limits: ReadFileLimits) => {
      reads.push([path, limits]);
      return new TextEncoder().encode('a: 1\n');
    };
    const { resolver } = resolverFor(database, { readFile, fileRoot: root });
    expect(await resolver.resolve('file:///srv/designs/my%20site.yaml')).toEqual({
      text: 'a: 1\n',
      contentType: 'application/yaml',
      ref: 'file:///srv/designs/my%20site.yaml',
    });
    expect(reads).toEqual([['/srv/designs/my site.yaml', { root, maxBytes: 1024, signal: expect.any(AbortSignal) }]]);
  });

  it('explains how to use the design store when the runtime has no file system', async () => {
    const err = await rejection(resolverFor(database, { fileRoot: root }).resolver.resolve('file:///srv/site.yaml'));
    expect(err.message).toBe(
      'Cannot resolve design_ref file:///srv/site.yaml: file:// design refs need a runtime with a file system (Node or Deno); ' +
        'store the design with POST /api/v1.0/designs and use design://<id>',
    );
  });

  it('refuses every file ref while DESIGN_FILE_ROOT is unset, without touching the file system', async () => {
    const reads: string[] = [];
    const { resolver } = resolverFor(database, { readFile: async (path) => (reads.push(path), new Uint8Array()) });
    for (const ref of ['file:///proc/self/environ', 'file:///srv/designs/site.yaml']) {
      expect((await rejection(resolver.resolve(ref))).message).toBe(
        `Cannot resolve design_ref ${ref}: file:// design refs are off on this server (an operator enables them for one folder ` +
          'with DESIGN_FILE_ROOT); store the design with POST /api/v1.0/designs and use design://<id>',
      );
    }
    expect(reads).toEqual([]);
  });

  it('refuses paths outside the root, also through .. and look-alike prefixes, before reading', async () => {
    const reads: string[] = [];
    const { resolver } = resolverFor(database, { fileRoot: root, readFile: async (path) => (reads.push(path), new Uint8Array()) });
    for (const ref of ['file:///etc/passwd', 'file:///srv/designs/../drydock/admin-token', 'file:///srv/designs%2f..%2f..%2fetc/x', 'file:///srv/designs-old/a.yaml']) {
      expect((await rejection(resolver.resolve(ref))).message).toMatch(/: outside DESIGN_FILE_ROOT$/);
    }
    expect(reads).toEqual([]);
    await resolver.resolve('file:///srv/designs/old/../site.yaml');
    expect(reads).toEqual(['/srv/designs/site.yaml']);
  });

  it('words each refusal of the reader generically', async () => {
    const cases: [unknown, string][] = [
      [enoent(), 'no such file'],
      [Object.assign(new Error('EACCES: permission denied, realpath /srv/designs/x'), { code: 'EACCES' }), 'permission denied'],
      [new FileRefused('not-regular'), 'not a regular file'],
      [new FileRefused('outside-root'), 'outside DESIGN_FILE_ROOT'],
      [new FileRefused('too-large'), 'design exceeds the limit of 1024 bytes'],
      [new Error('EIO: i/o error, read'), 'the file could not be read'],
    ];
    for (const [thrown, reason] of cases) {
      const { resolver } = resolverFor(database, { fileRoot: root, readFile: async () => Promise.reject(thrown) });
      expect((await rejection(resolver.resolve('file:///srv/designs/x.yaml'))).message).toBe(
        `Cannot resolve design_ref file:///srv/designs/x.yaml: ${reason}`,
      );
    }
  });

  it('refuses relative paths and remote hosts, which Drydock passed to open()', async () => {
    const { resolver } = resolverFor(database, { fileRoot: '/', readFile: async () => new Uint8Array() });
    for (const ref of ['file:site.yaml', 'file://fileserver/share/site.yaml']) {
      expect((await rejection(resolver.resolve(ref))).message).toContain('must name an absolute path');
    }
  });

  it('refuses a file larger than the limit', async () => {
    const { resolver } = resolverFor(database, { fileRoot: '/', maxBytes: 4, readFile: async () => new Uint8Array(5) });
    expect((await rejection(resolver.resolve('file:///big.json'))).message).toContain('design exceeds the limit of 4 bytes');
  });

  it('gives up on a read that outlasts the timeout', async () => {
    const { resolver } = resolverFor(database, { fileRoot: '/', timeoutMs: 100, readFile: () => new Promise<Uint8Array>(() => {}) });
    expect((await rejection(resolver.resolve('file:///dev/fifo'))).message).toContain('timed out after 100 ms');
  });
});
