import { afterEach, describe, expect, it } from 'vitest';
import { startMaasSimulator, type MaasSimulator } from './simulator.ts';
import { NODE_STATUS } from './status.ts';
import { call, callJson } from './test-client.ts';

let sim: MaasSimulator;
afterEach(async () => sim?.close());

const ready = async () => {
  sim = await startMaasSimulator({ machines: [{ hostname: 'n01', mac: '52:54:00:00:00:01',
    extraMacs: ['52:54:00:00:00:02'], status: NODE_STATUS.READY,
    disks: [{ name: 'sda', size: 100_000_000_000 }, { name: 'sdb', size: 200_000_000_000 }] }] });
  return sim.machine('n01');
};

describe('MAAS simulator: interfaces', () => {
  it('bonds two NICs, adds a VLAN interface on the bond and links subnets (static and DHCP)', async () => {
    const m = await ready();
    const sid = m.systemId;
    const [eno1, eno2] = m.interfaces;
    const vlan = await callJson(sim, 'POST', 'fabrics/0/vlans/', { form: { vid: '100' } });
    const a = await callJson(sim, 'POST', 'subnets/', { form: { cidr: '10.23.0.0/24', vlan: String(vlan.id) } });
    const b = await callJson(sim, 'POST', 'subnets/', { form: { cidr: '172.16.0.0/24', vlan: '5001' } });
    const bond = await callJson(sim, 'POST', `nodes/${sid}/interfaces/`, { op: 'create_bond', multipart: true,
      form: { name: 'bond0', parents: [String(eno1!.id), String(eno2!.id)], bond_mode: '802.3ad' } });
    expect([bond.type, bond.parents, bond.params.bond_mode]).toEqual(['bond', ['eno1', 'eno2'], '802.3ad']);
    const tagged = await callJson(sim, 'POST', `nodes/${sid}/interfaces/`, { op: 'create_vlan',
      form: { parent: String(bond.id), vlan: String(vlan.id) } });
    expect([tagged.name, tagged.type, tagged.vlan.vid]).toEqual(['bond0.100', 'vlan', 100]);
    const linked = await callJson(sim, 'POST', `nodes/${sid}/interfaces/${tagged.id}/`, { op: 'link_subnet',
      form: { mode: 'STATIC', subnet: String(a.id), ip_address: '10.23.0.21' } });
    expect(linked.links[0]).toMatchObject({ mode: 'static', ip_address: '10.23.0.21', subnet: { cidr: '10.23.0.0/24' } });
    await callJson(sim, 'POST', `nodes/${sid}/interfaces/${bond.id}/`, { op: 'link_subnet', form: { mode: 'dhcp', subnet: String(b.id) } });
    const doc = await callJson(sim, 'GET', `machines/${sid}/`);
    expect(doc.interface_set.map((i: any) => i.name)).toEqual(['eno1', 'eno2', 'bond0', 'bond0.100']);
    expect(doc.interface_set[0].children).toEqual(['bond0']);
    expect(doc.ip_addresses).toEqual(['10.23.0.21']);
    const unlinked = await callJson(sim, 'POST', `nodes/${sid}/interfaces/${tagged.id}/`, { op: 'unlink_subnet',
      form: { id: String(linked.links[0].id) } });
    expect(unlinked.links).toEqual([]);
  });

  it('refuses an untagged VLAN interface and a bad link mode with 400, changes on a deployed machine with 409', async () => {
    const m = await ready();
    const sid = m.systemId;
    const untagged = await call(sim, 'POST', `nodes/${sid}/interfaces/`, { op: 'create_vlan',
      form: { parent: String(m.interfaces[0]!.id), vlan: '5001' } });
    expect([untagged.status, await untagged.json()]).toEqual([400, { vlan: ["A VLAN interface can't belong to an untagged VLAN."] }]);
    const mode = await call(sim, 'POST', `nodes/${sid}/interfaces/${m.interfaces[0]!.id}/`, { op: 'link_subnet', form: { mode: 'magic' } });
    expect(mode.status).toBe(400);
    m.status = NODE_STATUS.DEPLOYED;
    const late = await call(sim, 'POST', `nodes/${sid}/interfaces/${m.interfaces[0]!.id}/`, { op: 'disconnect' });
    expect([late.status, await late.text()])
      .toEqual([409, 'Cannot disconnect interface because the machine is not New, Ready, Allocated, or Broken.']);
  });

  it('refuses what forms/interface.py and interface_link.py refuse: mixed-VLAN bond parents, a VLAN off the parent fabric, a subnet off the VLAN, LINK_UP next to a link', async () => {
    const m = await ready();
    const sid = m.systemId;
    const [eno1, eno2] = m.interfaces;
    const fabric = await callJson(sim, 'POST', 'fabrics/', { form: { name: 'other' } });
    const tagged = await callJson(sim, 'POST', `fabrics/${fabric.id}/vlans/`, { form: { vid: '200' } });
    const far = await callJson(sim, 'POST', 'subnets/', { form: { cidr: '10.50.0.0/24', vlan: String(tagged.id) } });
    eno2!.vlanId = tagged.id;
    const bond = await call(sim, 'POST', `nodes/${sid}/interfaces/`, { op: 'create_bond', form: { name: 'bond0', parents: [String(eno1!.id), String(eno2!.id)] } });
    expect([bond.status, await bond.json()]).toEqual([400, { parents: ['All parents must belong to the same VLAN.'] }]);
    const vlan = await call(sim, 'POST', `nodes/${sid}/interfaces/`, { op: 'create_vlan', form: { parent: String(eno1!.id), vlan: String(tagged.id) } });
    expect(((await vlan.json()) as { vlan: string[] }).vlan).toEqual(['A VLAN interface can only belong to a tagged VLAN on the same fabric as its parent interface.']);
    const link = await call(sim, 'POST', `nodes/${sid}/interfaces/${eno1!.id}/`, { op: 'link_subnet', form: { mode: 'static', subnet: String(far.id) } });
    expect(((await link.json()) as { subnet: string[] }).subnet).toEqual(['Select a valid choice. That choice is not one of the available choices.']);
    await callJson(sim, 'POST', `nodes/${sid}/interfaces/${eno2!.id}/`, { op: 'link_subnet', form: { mode: 'static', subnet: String(far.id) } });
    const up = await call(sim, 'POST', `nodes/${sid}/interfaces/${eno2!.id}/`, { op: 'link_subnet', form: { mode: 'link_up' } });
    expect(up.status).toBe(400);
  });

  it('gives AUTO links their address when the deploy starts', async () => {
    const m = await ready();
    const subnet = await callJson(sim, 'POST', 'subnets/', { form: { cidr: '10.9.0.0/24' } });
    await callJson(sim, 'POST', `nodes/${m.systemId}/interfaces/${m.interfaces[0]!.id}/`, { op: 'link_subnet',
      form: { mode: 'AUTO', subnet: String(subnet.id) } });
    expect((await callJson(sim, 'GET', `machines/${m.systemId}/`)).ip_addresses).toEqual([]);
    const d = await callJson(sim, 'POST', `machines/${m.systemId}/`, { op: 'deploy' });
    expect(d.ip_addresses).toEqual(['10.9.0.10']);
  });

  it('restores networking to the commissioned NICs', async () => {
    const m = await ready();
    await callJson(sim, 'POST', `nodes/${m.systemId}/interfaces/`, { op: 'create_bond',
      form: { name: 'bond0', parents: [String(m.interfaces[0]!.id)] } });
    const doc = await callJson(sim, 'POST', `machines/${m.systemId}/`, { op: 'restore_networking_configuration' });
    expect(doc.interface_set.map((i: any) => i.name)).toEqual(['eno1', 'eno2']);
  });
});

describe('MAAS simulator: storage', () => {
  it('partitions, formats and mounts; sets the boot disk; builds LVM with a logical volume', async () => {
    const m = await ready();
    const sid = m.systemId;
    const blank = await callJson(sim, 'POST', `machines/${sid}/`, { op: 'set_storage_layout', form: { storage_layout: 'blank' } });
    expect(blank.blockdevice_set[0].partitions).toEqual([]);
    const sdb = m.blockDevices[1]!;
    expect(await (await call(sim, 'POST', `nodes/${sid}/blockdevices/${sdb.id}/`, { op: 'set_boot_disk' })).text()).toBe('OK');
    const p1 = await callJson(sim, 'POST', `nodes/${sid}/blockdevices/${sdb.id}/partitions/`, { form: { size: '1000000000', bootable: 'true' } });
    const p2 = await callJson(sim, 'POST', `nodes/${sid}/blockdevices/${sdb.id}/partitions/`, {});
    // MAAS's arithmetic (storage-space.ts): 6 MiB of table overhead on this amd64 BIOS machine, 4 MiB alignment.
    expect([p1.size, p2.size]).toEqual([998_244_352, 198_994_558_976]);
    const fs = await callJson(sim, 'POST', `nodes/${sid}/blockdevices/${sdb.id}/partition/${p1.id}`, { op: 'format', form: { fstype: 'ext4', label: 'boot' } });
    expect(fs.filesystem.fstype).toBe('ext4');
    const mounted = await callJson(sim, 'POST', `nodes/${sid}/blockdevices/${sdb.id}/partition/${p1.id}`, { op: 'mount', form: { mount_point: '/boot' } });
    expect(mounted.filesystem.mount_point).toBe('/boot');
    const vg = await callJson(sim, 'POST', `nodes/${sid}/volume-groups/`, { form: { name: 'vg0', partitions: String(p2.id) } });
    expect(vg.size).toBe(198_990_364_672); // one 4 MiB extent kept for the LVM header
    const lv = await callJson(sim, 'POST', `nodes/${sid}/volume-group/${vg.id}/`, { op: 'create_logical_volume', form: { name: 'root', size: '50000000000' } });
    expect([lv.name, lv.type]).toEqual(['vg0-root', 'virtual']);
    await callJson(sim, 'POST', `nodes/${sid}/blockdevices/${lv.id}/`, { op: 'format', form: { fstype: 'xfs' } });
    const root = await callJson(sim, 'POST', `nodes/${sid}/blockdevices/${lv.id}/`, { op: 'mount', form: { mount_point: '/' } });
    expect(root.filesystem).toMatchObject({ fstype: 'xfs', mount_point: '/' });
    const doc = await callJson(sim, 'GET', `machines/${sid}/`);
    expect([doc.boot_disk.id, doc.volume_groups[0].available_size, doc.virtualblockdevice_set[0].name])
      .toEqual([sdb.id, 148_994_260_992, 'vg0-root']);
  });

  it('lays out flat and lvm as storage_layouts.py does: boot on the boot disk, root on root_device, sizes rounded to 4 MiB', async () => {
    const m = await ready();
    const sid = m.systemId;
    const [sda, sdb] = m.blockDevices;
    await callJson(sim, 'POST', `nodes/${sid}/blockdevices/${sda!.id}/partitions/`, { form: { size: '5000000000' } });
    const flat = await callJson(sim, 'POST', `machines/${sid}/`, { op: 'set_storage_layout', form: {
      storage_layout: 'flat', root_device: String(sdb!.id), root_size: '30000000000', boot_size: '1000000000' } });
    const parts = (d: any) => d.partitions.map((p: any) => [p.size, p.bootable, p.filesystem?.mount_point ?? null]);
    // The partition made before is gone; boot (on the boot disk, sda) and root (on sdb) are rounded down to 4 MiB.
    expect(flat.blockdevice_set.map(parts)).toEqual([[[998_244_352, true, '/boot']], [[29_997_662_208, false, '/']]]);
    expect(flat.blockdevice_set[1].available_size).toBe(169_995_141_120); // (200 GB - 6 MiB of table) rounded down, less root
    const lvm = await callJson(sim, 'POST', `machines/${sid}/`, { op: 'set_storage_layout', form: {
      storage_layout: 'lvm', root_size: '40000000000', vg_name: 'vg0', lv_name: 'root', lv_size: '20000000000' } });
    expect(lvm.volume_groups.map((g: any) => [g.name, g.size, g.logical_volumes.map((l: any) => [l.name, l.size, l.filesystem.mount_point])]))
      .toEqual([['vg0', 39_992_688_640 /* the root partition less one extent for the LVM header */, [['vg0-root', 19_998_441_472, '/']]]]);
    const tooBig = await call(sim, 'POST', `machines/${sid}/`, { op: 'set_storage_layout', form: { storage_layout: 'flat', root_size: '99900000000', boot_size: '1000000000' } });
    expect(tooBig.status).toBe(400);
  });

  it('answers MAAS 400/409 for storage changes it refuses', async () => {
    const m = await ready();
    const sid = m.systemId;
    const sda = m.blockDevices[0]!;
    const big = await call(sim, 'POST', `nodes/${sid}/blockdevices/${sda.id}/partitions/`, { form: { size: String(sda.size + 1) } });
    expect(big.status).toBe(400);
    const unformatted = await call(sim, 'POST', `nodes/${sid}/blockdevices/${sda.id}/`, { op: 'mount', form: { mount_point: '/srv' } });
    expect(unformatted.status).toBe(400);
    m.status = NODE_STATUS.DEPLOYED;
    const part = await call(sim, 'POST', `nodes/${sid}/blockdevices/${sda.id}/partitions/`, {});
    expect([part.status, await part.text()]).toEqual([409, 'Cannot create partition because the node is not Ready.']);
    const layout = await call(sim, 'POST', `machines/${sid}/`, { op: 'set_storage_layout' });
    expect([layout.status, await layout.text()]).toEqual([409, 'Cannot change the storage layout on a machine that is not Ready.']);
    const fmt = await call(sim, 'POST', `nodes/${sid}/blockdevices/${sda.id}/`, { op: 'format', form: { fstype: 'ext4' } });
    expect([fmt.status, await fmt.text()]).toEqual([409, 'Cannot format block device because the machine is not Ready or Allocated.']);
  });
});
