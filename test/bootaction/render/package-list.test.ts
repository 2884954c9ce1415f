import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssetError, packageListFor, type PackageListOptions } from '../../../src/bootaction/render/index.ts';
import { parsePackageList, PackageListError } from '../../../src/bootaction/render/package-list.ts';
import { makeBootAction } from '../../helpers/site-model.ts';
import { startOrigin, type Origin } from '../../helpers/origin.ts';
import { actionWith, asset, labSite } from './fixtures.ts';

const options: PackageListOptions = { fetch, timeoutMs: 5_000, maxBytes: 65_536, retries: 0 };
const pkgs = (packageList: Record<string, string | null>) => asset({ type: 'pkg_list', path: null, packageList });
const parse = (text: string) => parsePackageList(new TextEncoder().encode(text));
const parseError = (text: string): string => {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof PackageListError) return err.message;
    throw err;
  }
  throw new Error('expected a PackageListError');
};

describe('packageListFor', () => {
  it("merges the inline lists of every boot action targeting the node (Drydock's helloworld gives 2 packages)", async () => {
    const { site } = labSite([
      actionWith('helloworld', asset({ path: '/x', data: 'x' }), pkgs({ '2ping': '3.2.1-1', '0xffff': null })),
      actionWith('more', pkgs({ curl: null, '2ping': '4.0-1' })),
    ]);
    expect({ ...(await packageListFor(site, 'compute01', options)) }).toEqual({ '2ping': '4.0-1', '0xffff': null, curl: null });
  });

  it('leaves out boot actions that do not target the node, and knows no packages for an unknown node', async () => {
    const other = makeBootAction('elsewhere', { assets: [pkgs({ vim: null })], targetNodes: ['compute02'] });
    const { site } = labSite([other, actionWith('here', pkgs({ curl: '7.58.0-2' }))]);
    expect({ ...(await packageListFor(site, 'compute01', options)) }).toEqual({ curl: '7.58.0-2' });
    expect({ ...(await packageListFor(site, 'nobody', options)) }).toEqual({});
  });

  describe('from a location', () => {
    let origin: Origin;
    beforeEach(async () => {
      origin = await startOrigin();
    });
    afterEach(async () => {
      await origin.close();
    });

    it('fetches a YAML mapping at the templated location', async () => {
      origin.handle = (_req, res) => res.end("# packages\nsocat: '1.7.3.2-2'\njq:\nmtr: ~\n");
      const remote = asset({ type: 'pkg_list', path: null, location: `${origin.base}/pkgs/{{ node.hostname }}.yaml`, locationPipeline: ['template'] });
      const { site } = labSite([actionWith('remote', remote), actionWith('later', pkgs({ jq: '1.5' }))]);
      expect({ ...(await packageListFor(site, 'compute01', options)) }).toEqual({ socat: '1.7.3.2-2', jq: '1.5', mtr: null });
      expect(origin.requests.map((r) => r.path)).toEqual(['/pkgs/compute01.yaml']);
    });

    it('fetches a JSON mapping', async () => {
      origin.handle = (_req, res) => res.end('{"socat": null, "jq": "1.5+dfsg-2"}');
      const { site } = labSite([actionWith('json', asset({ type: 'pkg_list', path: null, location: `${origin.base}/p.json` }))]);
      expect({ ...(await packageListFor(site, 'compute01', options)) }).toEqual({ socat: null, jq: '1.5+dfsg-2' });
    });

    it('answers a 404 with a fetch error naming the boot action', async () => {
      origin.handle = (_req, res) => res.writeHead(404).end();
      const { site } = labSite([actionWith('gone', asset({ type: 'pkg_list', path: null, location: `${origin.base}/p` }))]);
      const err = await packageListFor(site, 'compute01', options).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AssetError);
      expect(err).toMatchObject({ kind: 'fetch', actionName: 'gone', assetPath: null });
      expect((err as AssetError).message).toMatch(/^Boot action gone, asset #1: cannot fetch .*HTTP 404/);
    });

    it('answers a body that is not a package mapping with a render error', async () => {
      origin.handle = (_req, res) => res.end('- socat\n- jq\n');
      const { site } = labSite([actionWith('list', asset({ type: 'pkg_list', path: null, location: `${origin.base}/p` }))]);
      const err = await packageListFor(site, 'compute01', options).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'render', actionName: 'list' });
    });
  });
});

describe('parsing a fetched package list (as yaml.safe_load)', () => {
  it('reads null, ~ and empty values as any version', () => {
    expect({ ...parse('a:\nb: ~\nc: null\nd: ""\n') }).toEqual({ a: null, b: null, c: null, d: '' });
  });

  it('refuses a version YAML reads as a number, and a numeric package name, as Drydock', () => {
    expect(parseError('docker: 1.13\n')).toMatch(/package names and versions must be strings \(see docker\)/);
    expect(parseError('0xffff: x\n')).toMatch(/must be strings \(see 65535\)/);
  });

  it('refuses a top level that is not a mapping, an empty document and broken YAML', () => {
    expect(parseError('- a\n')).toMatch(/top-level mapping/);
    expect(parseError('')).toMatch(/top-level mapping/);
    expect(parseError('a: [1\n')).toMatch(/^invalid YAML in the package list/);
    expect(parseError('a: b\n---\nc: d\n')).toMatch(/^invalid YAML/);
  });

  it('refuses a body that is not UTF-8', () => {
    expect(() => parsePackageList(Uint8Array.of(0x61, 0x3a, 0xff))).toThrow('the package list is not valid UTF-8');
  });

  it('follows aliases and keeps __proto__ as a plain package name', () => {
    const list = parse('a: &v "1.0"\nb: *v\n__proto__: "2"\n');
    expect(Object.entries(list)).toEqual([
      ['a', '1.0'],
      ['b', '1.0'],
      ['__proto__', '2'],
    ]);
  });
});
