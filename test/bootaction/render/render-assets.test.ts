import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssetError, renderAssets } from '../../../src/bootaction/render/index.ts';
import { closedPort, startOrigin, type Origin } from '../../helpers/origin.ts';
import { ACTION_ID, ACTION_KEY, actionWith, asset, b64, DESIGN_REF, renderAction, requestFor, utf8 } from './fixtures.ts';

const rejection = async (p: Promise<unknown>): Promise<AssetError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof AssetError) return err;
    throw err;
  }
  throw new Error('expected an AssetError');
};

/** Drydock's own sample boot action (helloworld), written anew. */
const helloworld = actionWith(
  'helloworld',
  asset({
    path: '/var/tmp/hello.sh',
    permissions: 0o555,
    data: b64("#!/bin/bash\n\necho 'Hello World! -from {{ node.hostname }}'\n"),
    dataPipeline: ['base64_decode', 'utf8_decode', 'template'],
  }),
  asset({
    type: 'unit',
    path: '/lib/systemd/system/hello.service',
    permissions: 0o600,
    data: b64('[Unit]\nDescription=Hello World\n\n[Service]\nType=oneshot\nExecStart=/var/tmp/hello.sh\n'),
    dataPipeline: ['base64_decode', 'utf8_decode'],
  }),
  asset({
    path: '/var/tmp/designref.sh',
    permissions: 0o500,
    data: '{{ action.design_ref }}\n{{ action.action_id }}\n{{ action.action_key }}\n',
    dataPipeline: ['utf8_decode', 'template'],
  }),
  asset({ type: 'pkg_list', path: null, packageList: { '2ping': '3.2.1-1', '0xffff': null } }),
);

describe('renderAssets', () => {
  it("renders the node's file assets with path, mode and action name (Drydock's helloworld)", async () => {
    const files = await renderAssets(requestFor([helloworld]));
    expect(files.map((f) => [f.path, f.mode, f.actionName])).toEqual([
      ['/var/tmp/hello.sh', 0o555, 'helloworld'],
      ['/var/tmp/designref.sh', 0o500, 'helloworld'],
    ]);
    expect(utf8(files[0]!.content)).toBe("#!/bin/bash\n\necho 'Hello World! -from compute01'\n");
    expect(utf8(files[1]!.content)).toBe(`${DESIGN_REF}\n${ACTION_ID}\n${ACTION_KEY}\n`);
  });

  it('renders only unit assets for units', async () => {
    const files = await renderAssets(requestFor([helloworld], { assetType: 'unit' }));
    expect(files.map((f) => f.path)).toEqual(['/lib/systemd/system/hello.service']);
    expect(utf8(files[0]!.content)).toMatch(/^\[Unit\]\nDescription=Hello World\n/);
  });

  it('keeps design order across boot actions, each with its own id and key', async () => {
    const first = actionWith('first', asset({ path: '/a', data: '{{ action.action_id }}', dataPipeline: ['template'] }));
    const second = actionWith('second', asset({ path: '/b', data: '{{ action.action_id }}', dataPipeline: ['template'] }));
    const req = requestFor([first, second]);
    req.actions = [renderAction(first, { actionId: 'ID-1' }), renderAction(second, { actionId: 'ID-2', actionKey: 'ab'.repeat(32) })];
    const files = await renderAssets(req);
    expect(files.map((f) => [f.path, f.actionName, utf8(f.content)])).toEqual([
      ['/a', 'first', 'ID-1'],
      ['/b', 'second', 'ID-2'],
    ]);
  });

  it('defaults the mode to 0600 when permissions are absent or 0, as Drydock', async () => {
    const action = actionWith('modes', asset({ path: '/x', data: '' }), asset({ path: '/y', data: '', permissions: 0 }));
    expect((await renderAssets(requestFor([action]))).map((f) => f.mode)).toEqual([0o600, 0o600]);
  });

  it('passes data through unchanged without a pipeline, and binary data byte for byte', async () => {
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    const action = actionWith(
      'raw',
      asset({ path: '/plain', data: 'no {{ template }} here\n' }),
      asset({ path: '/bin', data: Buffer.from(binary).toString('base64'), dataPipeline: ['base64_decode'] }),
    );
    const [plain, bin] = await renderAssets(requestFor([action]));
    expect(utf8(plain!.content)).toBe('no {{ template }} here\n');
    expect(bin!.content).toEqual(binary);
  });

  it('renders nothing for a node with no assets of the type', async () => {
    expect(await renderAssets(requestFor([actionWith('empty')]))).toEqual([]);
  });
});

describe('renderAssets failures', () => {
  it('names the action and asset of a bad base64 asset (render)', async () => {
    const action = actionWith('broken', asset({ path: '/etc/bad', data: 'YWJjZ', dataPipeline: ['base64_decode'] }));
    const err = await rejection(renderAssets(requestFor([action])));
    expect([err.kind, err.actionName, err.assetPath]).toEqual(['render', 'broken', '/etc/bad']);
    expect(err.message).toBe(
      'Boot action broken, asset /etc/bad: data_pipeline segment base64_decode failed: invalid base64: 5 data characters cannot be 1 more than a multiple of 4',
    );
  });

  it('reports invalid UTF-8 and template errors as render errors', async () => {
    const utf = actionWith('utf', asset({ path: '/u', data: '/w==' /* 0xff */, dataPipeline: ['base64_decode', 'utf8_decode'] }));
    expect((await rejection(renderAssets(requestFor([utf])))).message).toMatch(/asset \/u: data_pipeline segment utf8_decode failed: the data is not valid UTF-8/);
    const syntax = actionWith('tpl', asset({ path: '/t', data: '{% if x %}', dataPipeline: ['template'] }));
    const err = await rejection(renderAssets(requestFor([syntax])));
    expect(err.kind).toBe('render');
    expect(err.message).toMatch(/^Boot action tpl, asset \/t: data_pipeline segment template failed: template error: .*not closed/);
    const runtime = actionWith('rt', asset({ path: '/r', data: "{{ node.tags | urlencode }}", dataPipeline: ['template'] }));
    expect((await rejection(renderAssets(requestFor([runtime])))).message).toMatch(/urlencode: a list must hold/);
  });

  it('reports an asset with no path, or with neither data nor location', async () => {
    const noPath = actionWith('np', asset({ path: null, data: 'x' }));
    expect((await rejection(renderAssets(requestFor([noPath])))).message).toBe('Boot action np, asset #1: the asset has no path');
    const noData = actionWith('nd', asset({ path: '/n' }));
    expect((await rejection(renderAssets(requestFor([noData])))).message).toBe('Boot action nd, asset /n: the asset has neither data nor a location');
  });

  it('throws the first failing asset in design order, whatever fails first in time', async () => {
    const port = await closedPort();
    const slowFirst = actionWith('a', asset({ path: '/first', location: `http://127.0.0.1:${port}/x` }));
    const fastSecond = actionWith('b', asset({ path: '/second', data: '%', dataPipeline: ['base64_decode'] }));
    const err = await rejection(renderAssets(requestFor([slowFirst, fastSecond])));
    expect([err.actionName, err.assetPath, err.kind]).toEqual(['a', '/first', 'fetch']);
  });
});

describe('assets from a location', () => {
  let origin: Origin;
  beforeEach(async () => {
    origin = await startOrigin();
  });
  afterEach(async () => {
    await origin.close();
  });

  it('fetches the location rendered by its location pipeline, then runs the data pipeline', async () => {
    origin.handle = (req, res) => res.end(b64(`from ${req.url}: {{ node.network.default.ip }}\n`));
    const action = actionWith(
      'remote',
      asset({
        path: '/etc/remote',
        location: `${origin.base}/assets/{{ node.hostname }}.b64`,
        locationPipeline: ['template'],
        dataPipeline: ['base64_decode', 'utf8_decode', 'template'],
      }),
    );
    const [file] = await renderAssets(requestFor([action]));
    expect(utf8(file!.content)).toBe('from /assets/compute01.b64: 172.16.1.21\n');
    expect(origin.requests.map((r) => r.path)).toEqual(['/assets/compute01.b64']);
  });

  it('keeps a binary body byte for byte', async () => {
    const body = Buffer.from(Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
    origin.handle = (_req, res) => res.end(body);
    const [file] = await renderAssets(requestFor([actionWith('bin', asset({ path: '/b', location: `${origin.base}/b` }))]));
    expect(Buffer.from(file!.content).equals(body)).toBe(true);
  });

  it('sends user:password@ as Basic auth', async () => {
    origin.handle = (_req, res) => res.end('ok');
    await renderAssets(requestFor([actionWith('auth', asset({ path: '/a', location: `http://u:p%40ss@${origin.host}/a` }))]));
    expect(origin.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('u:p@ss').toString('base64')}`);
  });

  it('fetches deckhand+http locations with the Keystone service token', async () => {
    origin.handle = (_req, res) => res.end('from deckhand');
    const action = actionWith('dh', asset({ path: '/d', location: `deckhand+http://${origin.host}/api/v1.0/doc` }));
    const [file] = await renderAssets(requestFor([action], { serviceToken: async () => 'svc-token' }));
    expect(utf8(file!.content)).toBe('from deckhand');
    expect(origin.requests[0]?.headers['x-auth-token']).toBe('svc-token');
    const err = await rejection(renderAssets(requestFor([action])));
    expect(err.kind).toBe('fetch');
    expect(err.message).toMatch(/deckhand\+ locations need Keystone/);
  });

  it('answers a 404 with a fetch error naming the action, asset and status, without retrying', async () => {
    origin.handle = (_req, res) => res.writeHead(404).end('not here');
    const action = actionWith('missing', asset({ path: '/etc/m', location: `${origin.base}/m` }));
    const err = await rejection(renderAssets(requestFor([action], { retries: 2 })));
    expect([err.kind, err.actionName, err.assetPath]).toEqual(['fetch', 'missing', '/etc/m']);
    expect(err.message).toBe(`Boot action missing, asset /etc/m: cannot fetch ${origin.base}/m: the server answered HTTP 404`);
    expect(origin.requests).toHaveLength(1);
  });

  it('answers an unreachable location with a fetch error', async () => {
    const port = await closedPort();
    const err = await rejection(renderAssets(requestFor([actionWith('down', asset({ path: '/d', location: `http://127.0.0.1:${port}/d` }))])));
    expect(err.kind).toBe('fetch');
    expect(err.message).toMatch(new RegExp(`^Boot action down, asset /d: cannot fetch http://127.0.0.1:${port}/d: network error`));
  });

  it('refuses a body over the size limit', async () => {
    origin.handle = (_req, res) => res.end('x'.repeat(2000));
    const err = await rejection(renderAssets(requestFor([actionWith('big', asset({ path: '/b', location: `${origin.base}/b` }))], { maxBytes: 1000 })));
    expect(err.kind).toBe('fetch');
    expect(err.message).toMatch(/the asset exceeds the limit of 1000 bytes/);
  });

  it('refuses file:// locations (Drydock served the server\'s own files)', async () => {
    const err = await rejection(renderAssets(requestFor([actionWith('f', asset({ path: '/f', location: 'file:///etc/passwd' }))])));
    expect(err.kind).toBe('fetch');
    expect(err.message).toMatch(/unsupported scheme file:/);
  });

  it('never puts the action key, or user-info, in the message', async () => {
    origin.handle = (_req, res) => res.writeHead(500).end();
    const action = actionWith(
      'leaky',
      asset({
        path: '/k',
        location: `http://admin:hunter2@${origin.host}/a/{{ action.action_key }}?k={{ action.action_key }}&t={{ action.action_key }}`,
        locationPipeline: ['template'],
      }),
    );
    const err = await rejection(renderAssets(requestFor([action])));
    expect(err.message).toMatch(/HTTP 500/);
    expect(err.message).not.toContain(ACTION_KEY);
    expect(err.message).not.toContain('hunter2');
    expect(origin.requests[0]?.path).toBe(`/a/${ACTION_KEY}?k=${ACTION_KEY}&t=${ACTION_KEY}`);
  });
});
