import { readFile } from 'node:fs/promises';
import { afterAll, expect, it } from 'vitest';
import { compileSite } from '../../../src/design/compile/index.ts';
import { parseDesign } from '../../../src/design/parse/documents.ts';
import { startMaasSimulator, type MaasSimulator } from '../../maas/simulator.ts';
import { NODE_STATUS } from '../../maas/status.ts';
import { maasContext } from './context.ts';

// The repository's example site (test/fixtures/designs/site.yaml): its host
// profile's storage names disks by hardware profile aliases (root_disk at
// SCSI 0:2.0.0, data_disk at 0:2.1.0), resolved through the lshw MAAS
// collected at commissioning.

let sim: MaasSimulator | undefined;
afterAll(async () => sim?.close());

it('lays out the example site\'s storage on a machine whose disks lshw finds at the aliases\' addresses', async () => {
  const text = await readFile(new URL('../../fixtures/designs/site.yaml', import.meta.url), 'utf8');
  const { site } = compileSite(parseDesign(text).documents);
  const node = [...site.nodes.values()][0]!;
  sim = await startMaasSimulator({ machines: [{ hostname: node.name, mac: '52:54:00:00:00:01', status: NODE_STATUS.READY,
    disks: [{ name: 'sda', size: 480_103_981_056, scsi: '0:2.0.0' }, { name: 'sdb', size: 960_197_124_096, scsi: '0:2.1.0' }] }] });
  const { driver, ctx } = maasContext(sim, [node]);
  ctx.site = site;
  expect(await driver.run(ctx, 'apply_node_storage', node)).toMatchObject({ state: 'done' });
  const m = sim.machine(node.name);
  const mounts = (f: { mountPoint: string | null; fstype: string } | null) => f && `${f.fstype} ${f.mountPoint}`;
  expect(m.blockDevices.map((d) => [d.name, d.partitions.map((p) => mounts(p.filesystem))])).toEqual([
    ['sda', ['ext4 /boot', 'ext4 /', 'ext4 /var']],
    ['sdb', []],
  ]);
  expect(m.volumeGroups.map((g) => [g.name, g.blockDeviceIds, g.logicalVolumes.map((lv) => [lv.name, mounts(lv.filesystem)])])).toEqual([
    ['data_vg', [m.blockDevices[1]!.id], [['data_vg-docker_lv', 'xfs /var/lib/docker'], ['data_vg-images_lv', 'xfs /var/lib/images']]],
  ]);
  // 50% and 40% of the group, and /var takes the rest of sda but Drydock's 4 MiB.
  const [docker, images] = m.volumeGroups[0]!.logicalVolumes;
  expect(images!.size / docker!.size).toBeCloseTo(0.8, 4);
  expect(m.blockDevices[0]!.partitions.reduce((n, p) => n + p.size, 0)).toBe(Math.floor((480_103_981_056 - 6 * 1024 * 1024) / 4194304) * 4194304 - 4194304);
});
