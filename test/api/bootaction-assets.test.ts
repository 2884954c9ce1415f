import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTarball } from '../../src/bootaction/tarball.ts';
import { jsonOf } from '../helpers/app.ts';
import {
  actionOf,
  API,
  BAD_BASE64_ACTION,
  bootActionLab,
  designWith,
  keyed,
  UNITS_ACTION,
  UNREACHABLE_ACTION,
} from './bootaction-fixtures.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The system tar's verbose listing, `perms owner path` per entry. */
function tarList(bytes: Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'bootdata-test-'));
  dirs.push(dir);
  const file = join(dir, 'ball.tar.gz');
  writeFileSync(file, bytes);
  const r = spawnSync('tar', ['--numeric-owner', '--quoting-style=literal', '-tvzPf', file], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [perms, owner, , , , path] = line.split(/\s+/);
      return `${perms} ${owner} ${path}`;
    });
}

const body = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('GET /bootdata/{host}/files|units', () => {
  it('answers a gzip tarball of the node’s units, named as Drydock names it', async () => {
    const { app, keys } = await bootActionLab();
    const res = await app.request(`${API}/bootdata/node00001/units`, keyed(keys.get('node00001')!.nodeKey));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/gzip');
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="node00001-unit.tar.gz"');
    expect(res.headers.get('ETag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect(tarList(await body(res))).toEqual(['-rw-r--r-- 0/0 /etc/systemd/system/hello.service']);
  });

  it('renders the node’s files with each action’s own id, key and the report URL', async () => {
    const { app, keys } = await bootActionLab();
    const res = await app.request('http://drydock.test:9000/api/v1.0/bootactions/nodes/node00001/files', keyed(keys.get('node00001')!.nodeKey));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="node00001-file.tar.gz"');
    const bytes = await body(res);
    expect(tarList(bytes)).toEqual(['-r--r--r-- 0/0 /etc/hello-world', '-rw------- 0/0 /var/lib/hello/signal.env']);
    const entries = await readTarball(bytes);
    const files = Object.fromEntries(entries.map((e) => [e.path, text(e.content)]));
    expect(files['/etc/hello-world']).toBe('hello world\n');
    const units = await actionOf(keys, 'node00001', 'units');
    expect(files['/var/lib/hello/signal.env']).toBe(
      `ID=${units.actionId}\nKEY=${units.actionKey}\nURL=http://drydock.test:9000/api/v1.0/bootactions/\n`,
    );
  });

  it('uses BOOTACTION_REPORT_URL when configured', async () => {
    const { app, keys } = await bootActionLab({ env: { BOOTACTION_REPORT_URL: 'https://edge.example.com/api/v1.0/bootactions/' } });
    const entries = await readTarball(await body(await app.request(`${API}/bootdata/node00001/files`, keyed(keys.get('node00001')!.nodeKey))));
    expect(text(entries.find((e) => e.path === '/var/lib/hello/signal.env')!.content)).toContain(
      'URL=https://edge.example.com/api/v1.0/bootactions/\n',
    );
  });

  it('answers identical bytes and ETag on both paths and 304 for a matching If-None-Match', async () => {
    const { app, keys } = await bootActionLab();
    const key = keys.get('node00000')!.nodeKey;
    const a = await app.request(`${API}/bootdata/node00000/files`, keyed(key));
    const b = await app.request(`${API}/bootactions/nodes/node00000/files`, keyed(key));
    const etag = a.headers.get('ETag')!;
    expect(b.headers.get('ETag')).toBe(etag);
    expect(await body(a)).toEqual(await body(b));
    for (const match of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await app.request(`${API}/bootdata/node00000/files`, keyed(key, { 'If-None-Match': match }));
      expect(res.status, match).toBe(304);
      expect(res.headers.get('ETag')).toBe(etag);
      expect(await res.text()).toBe('');
    }
    const stale = await app.request(`${API}/bootdata/node00000/files`, keyed(key, { 'If-None-Match': '"stale"' }));
    expect(stale.status).toBe(200);
  });

  it('answers 500 naming the boot action and the asset when an asset does not render, never a tarball', async () => {
    const { app, keys } = await bootActionLab({ design: designWith(UNITS_ACTION, BAD_BASE64_ACTION) });
    const res = await app.request(`${API}/bootdata/node00001/files`, keyed(keys.get('node00001')!.nodeKey));
    expect(res.status).toBe(500);
    expect(res.headers.get('Content-Type')).toContain('application/json');
    const status = await jsonOf(res);
    expect(status.message).toContain('broken');
    expect(status.message).toContain('/etc/broken');
    expect(status.details.messageList[0]).toMatchObject({ action: 'broken', asset: '/etc/broken' });
    // The units tarball does not include the broken file asset and still renders.
    expect((await app.request(`${API}/bootdata/node00001/units`, keyed(keys.get('node00001')!.nodeKey))).status).toBe(200);
  });

  it('answers 502 naming the boot action and the asset when a location cannot be fetched', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    const { app, keys } = await bootActionLab({ design: designWith(UNITS_ACTION, UNREACHABLE_ACTION), fetch });
    const res = await app.request(`${API}/bootdata/node00001/units`, keyed(keys.get('node00001')!.nodeKey));
    expect(res.status).toBe(502);
    const status = await jsonOf(res);
    expect(status.message).toContain('remote');
    expect(status.message).toContain('/etc/remote.conf');
    expect(JSON.stringify(status)).not.toContain(keys.get('node00001')!.nodeKey);
  });

  it('answers 404 for an asset type other than files and units', async () => {
    const { app, keys } = await bootActionLab();
    expect((await app.request(`${API}/bootdata/node00001/all`, keyed(keys.get('node00001')!.nodeKey))).status).toBe(404);
  });
});
