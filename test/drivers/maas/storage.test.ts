import { afterEach, describe, expect, it } from 'vitest';
import type { BaremetalNode, Filesystem, Storage } from '../../../src/design/model.ts';
import { makeHardwareProfile } from '../../helpers/site-model.ts';
import { startMaasSimulator, type MaasSimulator } from '../../maas/simulator.ts';
import type { SimMachine } from '../../maas/model.ts';
import { NODE_STATUS } from '../../maas/status.ts';
import { ipmiNode, maasContext } from './context.ts';

// apply_node_storage against the MAAS simulator (test/maas/storage-*.ts,
// written from MAAS's storage_layouts.py and storage handlers): what MAAS
// ends up holding, and what was asked of it.

let sim: MaasSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const SDA = 480_103_981_056;
const SDB = 200_000_000_000;
const MIB = 1024 * 1024;
// MAAS's arithmetic: sizes rounded down to 4 MiB; a table takes 6 MiB on an amd64 BIOS machine.
const align = (n: number) => Math.floor(n / (4 * MIB)) * 4 * MIB;
const OVERHEAD = 6 * MIB;
// Drydock's '>' keeps 4 MiB free for the partition table.
const RESERVED = 4 * MIB;

const fs = (mountpoint: string | null, fstype = 'ext4', over: Partial<Filesystem> = {}): Filesystem =>
  ({ mountpoint, fstype, mountOptions: null, fsUuid: null, fsLabel: null, ...over });
const part = (name: string, size: string, over: Partial<Storage['physicalDevices'][number]['partitions'][number]> = {}) =>
  ({ name, size, bootable: false, partUuid: null, volumeGroup: null, labels: {}, filesystem: null, ...over });

/** bootdisk and datadisk are hardware profile aliases (SCSI addresses lshw resolves to sda and sdb). */
function design(): Storage {
  return {
    physicalDevices: [
      { name: 'bootdisk', labels: {}, volumeGroup: null, partitions: [
        part('root', '30g', { bootable: true, filesystem: fs('/') }),
        part('boot', '1g', { filesystem: fs('/boot') }),
        part('log', '10%', { filesystem: fs('/var/log', 'ext4', { fsLabel: 'log', mountOptions: 'noatime' }) }),
        part('pv', '>100g', { volumeGroup: 'vg_data', partUuid: '0b9b8a2e-6d3c-4f4e-9a51-1f2f9e6a7c01' }),
      ] },
      { name: 'datadisk', labels: {}, volumeGroup: null, partitions: [
        part('srv', '50g', { filesystem: fs('/srv', 'xfs') }),
        part('docker', '>20g', { filesystem: fs('/var/lib/docker', 'xfs') }),
      ] },
    ],
    volumeGroups: [{ name: 'vg_data', vgUuid: null, logicalVolumes: [
      { name: 'nova', size: '50%', lvUuid: null, filesystem: fs('/var/lib/nova', 'ext4', { fsLabel: 'nova', fsUuid: '5e0f3b7c-1111-4a2b-8c3d-222233334444' }) },
      { name: 'tmp', size: '>10g', lvUuid: null, filesystem: fs('/tmp', 'xfs') },
    ] }],
  };
}

async function lab(storage: Storage = design(), status: number = NODE_STATUS.READY) {
  sim = await startMaasSimulator({
    machines: [{ hostname: 'east-cmp01', mac: '52:54:00:00:00:01', status, powerParameters: { power_address: '10.23.0.21' },
      disks: [{ name: 'sda', size: SDA }, { name: 'sdb', size: SDB }] }],
  });
  const profile = makeHardwareProfile('hp', { deviceAliases: {
    bootdisk: { address: '0:0.0.0', busType: 'scsi', devType: 'disk' },
    datadisk: { address: '1:0.0.0', busType: 'scsi', devType: 'disk' },
  } });
  const node: BaremetalNode = ipmiNode('east-cmp01', '10.23.0.21', { storage, hardwareProfile: 'hp' });
  const c = maasContext(sim, [node]);
  c.ctx.site.hardwareProfiles.set('hp', profile);
  return { sim, node, ...c };
}

/** What MAAS holds, without its ids and generated uuids. */
function held(m: SimMachine) {
  const fsOf = (f: SimMachine['blockDevices'][number]['filesystem']) => f && `${f.fstype}:${f.label ?? ''}:${f.mountPoint}:${f.mountOptions ?? ''}`;
  return {
    bootDisk: m.blockDevices.find((d) => d.id === m.bootDiskId)?.name,
    disks: m.blockDevices.map((d) => ({ name: d.name, parts: d.partitions.map((p) => [p.size, p.bootable, fsOf(p.filesystem)]) })),
    groups: m.volumeGroups.map((g) => ({ name: g.name, pvs: g.partitionIds.length + g.blockDeviceIds.length,
      lvs: g.logicalVolumes.map((lv) => [lv.name, lv.size, fsOf(lv.filesystem)]) })),
  };
}

describe('MAAS apply_node_storage', () => {
  it('lays out root and boot through MAAS, then partitions with fixed, % and > sizes, a volume group and its volumes, formatted and mounted', async () => {
    const { sim: s, driver, ctx, node } = await lab();
    const answer = await driver.run(ctx, 'apply_node_storage', node);
    expect(answer).toMatchObject({ state: 'done' });
    const m = s.machine('east-cmp01');
    const sdaFree = align(SDA - OVERHEAD) - align(1e9) - align(30e9);
    const log = Math.floor(SDA / 10);
    const pv = align(sdaFree - align(log) - RESERVED);
    const sdbFree = align(SDB - OVERHEAD) - align(50e9);
    const vg = (Math.floor(pv / (4 * MIB)) - 1) * 4 * MIB;
    expect(held(m)).toEqual({
      bootDisk: 'sda',
      disks: [
        { name: 'sda', parts: [
          [align(1e9), true, 'ext4:boot:/boot:'], [align(30e9), false, 'ext4:root:/:'],
          [align(log), false, 'ext4:log:/var/log:noatime'], [pv, false, null],
        ] },
        { name: 'sdb', parts: [[align(50e9), false, 'xfs::/srv:'], [align(sdbFree - RESERVED), false, 'xfs::/var/lib/docker:']] },
      ],
      groups: [{ name: 'vg_data', pvs: 1, lvs: [
        ['vg_data-nova', align(Math.floor(vg / 2)), 'ext4:nova:/var/lib/nova:'],
        ['vg_data-tmp', align(vg - align(Math.floor(vg / 2)) - RESERVED), 'xfs::/tmp:'],
      ] }],
    });
    // Ids and uuids from the design reach MAAS: the physical volume's partition uuid, the volume's filesystem uuid
    // (and its label, which Drydock leaves out when it formats a logical volume).
    expect(m.blockDevices[0]!.partitions[3]!.uuid).toBe('0b9b8a2e-6d3c-4f4e-9a51-1f2f9e6a7c01');
    expect(m.volumeGroups[0]!.logicalVolumes[0]!.filesystem?.uuid).toBe('5e0f3b7c-1111-4a2b-8c3d-222233334444');
    // The layout call carries Drydock's fields.
    expect(s.calls({ op: 'set_storage_layout' })[0]!.form).toMatchObject({
      storage_layout: ['flat'], root_device: [String(m.blockDevices[0]!.id)], root_size: ['30000000000'], boot_size: ['1000000000'],
    });
  });

  it('reads the machine once and then only writes (Drydock: one request per block device, and the machine again per logical volume)', async () => {
    const { sim: s, driver, ctx, node } = await lab();
    await driver.run(ctx, 'apply_node_storage', node);
    // One machine read (by hostname: the document embeds every block device) and the lshw the aliases need.
    expect(s.calls({ method: 'GET' }).map((c) => `${c.path}${c.op ? `?op=${c.op}` : ''}`)).toEqual([
      '/MAAS/api/2.0/machines/', `/MAAS/api/2.0/machines/${s.machine('east-cmp01').systemId}/?op=details`,
    ]);
    // sda is the boot disk already: no set_boot_disk. Layout, 4 partitions, 1 group, 2 volumes, 5 formats and 5 mounts.
    expect(s.calls({ method: 'POST' })).toHaveLength(1 + 4 + 1 + 2 + 5 + 5);
    expect(s.calls({ method: 'DELETE' })).toHaveLength(0);
    expect(s.calls({ op: 'set_boot_disk' })).toHaveLength(0);
  });

  it('gives the same result when run again: the layout resets what was there', async () => {
    const { sim: s, driver, ctx, node } = await lab();
    await driver.run(ctx, 'apply_node_storage', node);
    const first = held(s.machine('east-cmp01'));
    expect(await driver.run(ctx, 'apply_node_storage', node)).toMatchObject({ state: 'done' });
    expect(held(s.machine('east-cmp01'))).toEqual(first);
  });

  it('fails naming the node and the device when a device is in MAAS neither by name nor by alias, before writing (Drydock skips the device, lays out the rest and reports the node a success too)', async () => {
    const storage = design();
    storage.physicalDevices[1]!.name = 'nvme9';
    const { sim: s, driver, ctx, node } = await lab(storage);
    const answer = await driver.run(ctx, 'apply_node_storage', node);
    expect(answer).toEqual({ state: 'failed', reason: expect.stringMatching(/^node east-cmp01: storage device nvme9 not found in MAAS \(\w+ has sda, sdb\)/) });
    expect(s.calls({ method: 'POST' })).toHaveLength(0);
  });

  it('fails a size that cannot fit before anything is written, naming it', async () => {
    const storage = design();
    storage.physicalDevices[1]!.partitions[0]!.size = '190g';
    const { sim: s, driver, ctx, node } = await lab(storage);
    const answer = await driver.run(ctx, 'apply_node_storage', node);
    expect(answer).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^node east-cmp01: partition datadisk\/docker \(>20GB\) does not fit .*nothing was written/) });
    expect(s.calls({ method: 'POST' })).toHaveLength(0);

    const lv = design();
    lv.volumeGroups[0]!.logicalVolumes[0]!.size = '500g';
    await s.close();
    const again = await lab(lv);
    expect(await again.driver.run(again.ctx, 'apply_node_storage', again.node))
      .toMatchObject({ state: 'failed', reason: expect.stringContaining('logical volume vg_data/nova (500GB) does not fit on volume group vg_data') });
    expect(again.sim.calls({ method: 'POST' })).toHaveLength(0);

    const small = design();
    small.physicalDevices[0]!.partitions[1]!.size = '100m';
    await again.sim.close();
    const third = await lab(small);
    expect(await third.driver.run(third.ctx, 'apply_node_storage', third.node))
      .toMatchObject({ state: 'failed', reason: expect.stringContaining("/boot of 100000000 bytes is smaller than MAAS's layouts allow") });
    expect(third.sim.calls({ method: 'POST' })).toHaveLength(0);
  });

  it('puts root on LVM and makes the root group\'s other volumes too (Drydock skips every volume of the root group, and makes its physical volume partition a second time)', async () => {
    const storage: Storage = {
      physicalDevices: [{ name: 'sda', labels: {}, volumeGroup: null, partitions: [
        part('boot', '1g', { filesystem: fs('/boot') }),
        part('pv', '300g', { volumeGroup: 'vgroot' }),
      ] }],
      volumeGroups: [{ name: 'vgroot', vgUuid: null, logicalVolumes: [
        { name: 'root', size: '40g', lvUuid: null, filesystem: fs('/') },
        { name: 'var', size: '>10g', lvUuid: null, filesystem: fs('/var', 'xfs') },
      ] }],
    };
    const { sim: s, driver, ctx, node } = await lab(storage);
    expect(await driver.run(ctx, 'apply_node_storage', node)).toMatchObject({ state: 'done' });
    const m = s.machine('east-cmp01');
    const vg = (align(300e9) / (4 * MIB) - 1) * 4 * MIB;
    expect(held(m).groups).toEqual([{ name: 'vgroot', pvs: 1, lvs: [
      ['vgroot-root', align(40e9), 'ext4:root:/:'],
      ['vgroot-var', align(vg - align(40e9) - RESERVED), 'xfs::/var:'],
    ] }]);
    expect(s.calls({ op: 'set_storage_layout' })[0]!.form).toMatchObject({ storage_layout: ['lvm'], vg_name: ['vgroot'], lv_name: ['root'], lv_size: ['40000000000'], root_size: ['300000000000'] });
    // boot and the physical volume MAAS made: no second, unused copy of the design's pv partition.
    expect(held(m).disks[0]!.parts).toHaveLength(2);
  });

  it('makes the root device the boot disk first', async () => {
    const storage: Storage = { physicalDevices: [{ name: 'sdb', labels: {}, volumeGroup: null, partitions: [part('root', '30g', { filesystem: fs('/') })] }], volumeGroups: [] };
    const { sim: s, driver, ctx, node } = await lab(storage);
    expect(await driver.run(ctx, 'apply_node_storage', node)).toMatchObject({ state: 'done' });
    expect(held(s.machine('east-cmp01'))).toMatchObject({ bootDisk: 'sdb', disks: [{ name: 'sda', parts: [] }, { name: 'sdb', parts: [[align(30e9), false, 'ext4:root:/:']] }] });
    expect(s.calls({ method: 'POST' }).map((c) => c.op)).toEqual(['set_boot_disk', 'set_storage_layout']);
  });

  it('leaves a deployed machine as it is and refuses one that is not Ready', async () => {
    const deployed = await lab(design(), NODE_STATUS.DEPLOYED);
    expect(await deployed.driver.run(deployed.ctx, 'apply_node_storage', deployed.node)).toMatchObject({ state: 'done', detail: expect.stringContaining('deployed') });
    expect(deployed.sim.calls({ method: 'POST' })).toHaveLength(0);
    await deployed.sim.close();
    const allocated = await lab(design(), NODE_STATUS.ALLOCATED);
    expect(await allocated.driver.run(allocated.ctx, 'apply_node_storage', allocated.node))
      .toEqual({ state: 'failed', reason: 'node east-cmp01 is Allocated in MAAS; storage is laid out on a Ready machine only' });
    expect(allocated.sim.calls({ method: 'POST' })).toHaveLength(0);
  });
});
