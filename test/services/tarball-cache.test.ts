import { describe, expect, it } from 'vitest';
import { tarballAddress, type TarballInputs } from '../../src/services/bootactions/tarball-address.ts';
import { TarballCache } from '../../src/services/bootactions/tarball-cache.ts';

const ball = (size: number, tag = 'x') => ({ bytes: new Uint8Array(size), etag: `"${tag}"` });

describe('TarballCache', () => {
  it('keeps tarballs up to its byte bound, dropping the least recently used first', () => {
    const cache = new TarballCache(1000);
    cache.set('a', ball(200, 'a'), null);
    cache.set('b', ball(200, 'b'), null);
    cache.set('c', ball(200, 'c'), null);
    cache.set('d', ball(200, 'd'), null);
    expect(cache.get('a', 0)?.etag).toBe('"a"'); // a is now the most recent
    cache.set('e', ball(250, 'e'), null);
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(['a', 'c', 'd', 'e'].map((k) => cache.get(k, 0)?.etag)).toEqual(['"a"', '"c"', '"d"', '"e"']);
  });

  it('does not keep a tarball larger than a quarter of the cache, nor anything at size 0', () => {
    const cache = new TarballCache(1000);
    cache.set('big', ball(251), null);
    expect(cache.size).toBe(0);
    const off = new TarballCache(0);
    off.set('a', ball(1), null);
    expect(off.get('a', 0)).toBeUndefined();
  });

  it('serves an entry with an expiry until then only, and frees its bytes', () => {
    const cache = new TarballCache(1000);
    cache.set('loc', ball(100), 5_000);
    expect(cache.get('loc', 4_999)).toBeDefined();
    expect(cache.get('loc', 5_000)).toBeUndefined();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
  });
});

describe('tarballAddress', () => {
  const inputs: TarballInputs = {
    contentHash: 'c'.repeat(64),
    nodeName: 'n1',
    assetType: 'file',
    reportUrl: 'http://x/api/v1.0/bootactions/',
    taskId: '5f0c6d1e-0000-4000-8000-000000000001',
    nodeKey: 'k'.repeat(64),
  };

  it('is a SHA-256 that changes with every input and holds no key in clear', async () => {
    const base = await tarballAddress(inputs);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(base).not.toContain(inputs.nodeKey);
    expect(await tarballAddress({ ...inputs })).toBe(base);
    const variants: Array<Partial<TarballInputs>> = [
      { contentHash: 'd'.repeat(64) },
      { nodeName: 'n2' },
      { assetType: 'unit' },
      { reportUrl: 'http://y/' },
      { nodeKey: 'j'.repeat(64) },
      { taskId: '5f0c6d1e-0000-4000-8000-000000000002' },
    ];
    for (const v of variants) expect(await tarballAddress({ ...inputs, ...v }), JSON.stringify(v)).not.toBe(base);
  });
});
