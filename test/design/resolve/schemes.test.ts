import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/types.ts';
import type { ReadFileLimits } from '../../../src/design/resolve/index.ts';
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
  it('reads an absolute path through readFile', async () => {
    const reads: [string, ReadFileLimits | undefined][] = [];
    const readFile = async (path: string, limits?: ReadFileLimits) => {
      reads.push([path, limits]);
      return new TextEncoder().encode('a: 1\n');
    };
    const { resolver } = resolverFor(database, { readFile });
    expect(await resolver.resolve('file:///srv/designs/my%20site.yaml')).toEqual({
      text: 'a: 1\n',
      contentType: 'application/yaml',
      ref: 'file:///srv/designs/my%20site.yaml',
    });
    expect(reads).toEqual([['/srv/designs/my site.yaml', { maxBytes: 1024, signal: expect.any(AbortSignal) }]]);
  });

  it('explains how to use the design store when the runtime has no file system', async () => {
    const err = await rejection(resolverFor(database).resolver.resolve('file:///srv/site.yaml'));
    expect(err.message).toBe(
      'Cannot resolve design_ref file:///srv/site.yaml: file:// design refs need a runtime with a file system (Node or Deno); ' +
        'store the design with POST /api/v1.0/designs and use design://<id>',
    );
  });

  it('answers 400 for a missing file', async () => {
    const { resolver } = resolverFor(database, { readFile: async () => Promise.reject(enoent()) });
    expect((await rejection(resolver.resolve('file:///nope.yaml'))).message).toBe('Cannot resolve design_ref file:///nope.yaml: no such file');
  });

  it('refuses relative paths and remote hosts, which Drydock passed to open()', async () => {
    const { resolver } = resolverFor(database, { readFile: async () => new Uint8Array() });
    for (const ref of ['file:site.yaml', 'file://fileserver/share/site.yaml']) {
      expect((await rejection(resolver.resolve(ref))).message).toContain('must name an absolute path');
    }
  });

  it('refuses a file larger than the limit', async () => {
    const { resolver } = resolverFor(database, { maxBytes: 4, readFile: async () => new Uint8Array(5) });
    expect((await rejection(resolver.resolve('file:///big.json'))).message).toContain('design exceeds the limit of 4 bytes');
  });

  it('gives up on a read that outlasts the timeout', async () => {
    const { resolver } = resolverFor(database, { timeoutMs: 100, readFile: () => new Promise<Uint8Array>(() => {}) });
    expect((await rejection(resolver.resolve('file:///dev/fifo'))).message).toContain('timed out after 100 ms');
  });
});
