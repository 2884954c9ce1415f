import { describe, expect, it } from 'vitest';
import { makeHardwareProfile, makeNetwork, makeNode, siteOf } from '../helpers/site-model.ts';
import { openLab, T0 } from './lab.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const find = (tree: Json, pred: (n: Json) => boolean): Json[] => [
  ...(pred(tree) ? [tree] : []),
  ...((tree.children ?? []) as Json[]).flatMap((c) => find(c, pred)),
];

async function commissionedLab(env: Record<string, string> = {}) {
  const lab = await openLab({ env });
  for (const name of ['east-ctl01', 'east-cmp01']) {
    expect(await lab.run('configure_hardware', name)).toMatchObject({ state: 'done' });
  }
  return lab;
}

describe('fake lab build data', () => {
  it('has none before commissioning', async () => {
    const lab = await openLab();
    expect(await lab.drivers.node.collectBuildData(lab.ctx, lab.nodeOf('east-ctl01'))).toEqual([]);
    await lab.run('identify_node', 'east-ctl01');
    expect(await lab.drivers.node.collectBuildData(lab.ctx, lab.nodeOf('east-ctl01'))).toEqual([]);
  });

  it('collects lshw (JSON) and lldp (lldpd XML), the generators Drydock saves from MAAS, dated at commissioning', async () => {
    const lab = await commissionedLab();
    const records = await lab.drivers.node.collectBuildData(lab.ctx, lab.nodeOf('east-ctl01'));
    expect(records.map((r) => [r.nodeName, r.generator, r.dataFormat])).toEqual([
      ['east-ctl01', 'lshw', 'application/json'],
      ['east-ctl01', 'lldp', 'text/xml'],
    ]);
    for (const r of records) expect(r.collectedDate).toEqual(new Date(T0));
  });

  it('describes the node model in lshw: CPUs, memory, the profile\'s aliases as PCI and SCSI devices, NIC MACs', async () => {
    const lab = await commissionedLab();
    const [lshw] = await lab.drivers.node.collectBuildData(lab.ctx, lab.nodeOf('east-cmp01'));
    const doc = JSON.parse(lshw?.dataElement ?? '{}');
    const machine = (await lab.drivers.node.listMachines(lab.ctx)).find((m) => m.hostname === 'east-cmp01');
    expect(doc).toMatchObject({ id: 'east-cmp01', class: 'system', vendor: 'Dell', product: 'dell-r740' });
    expect(find(doc, (n) => n.class === 'processor')[0].configuration.threads).toBe('44');
    expect(find(doc, (n) => n.id === 'memory')[0].size).toBe((machine?.memory ?? 0) * 1_048_576);
    const nics = find(doc, (n) => n.class === 'network');
    expect(nics.map((n) => [n.businfo, n.logicalname])).toEqual([
      ['pci@0000:18:00.0', 'eno1'],
      ['pci@0000:3b:00.0', 'enp59s0f0'],
      ['pci@0000:3b:00.1', 'enp59s0f1'],
    ]);
    // The NIC the node PXE boots through carries its boot MAC.
    expect(nics[0].serial).toBe('3c:fd:fe:a1:b2:02');
    expect(nics[1].serial).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(nics[1].serial).not.toBe(nics[2].serial);
    const disks = find(doc, (n) => n.class === 'disk');
    expect(disks.map((d) => [d.businfo, d.logicalname, d.configuration.alias])).toEqual([
      ['scsi@0:2.0.0', '/dev/sda', 'root_disk'],
      ['scsi@0:2.1.0', '/dev/sdb', 'data_disk'],
    ]);
  });

  it('builds the same documents on every call (deterministic)', async () => {
    const lab = await commissionedLab();
    const a = await lab.drivers.node.collectBuildData(lab.ctx, lab.nodeOf('east-ctl01'));
    const b = await lab.drivers.node.collectBuildData(lab.ctx, lab.nodeOf('east-ctl01'));
    expect(a).toEqual(b);
  });

  it('names the rack\'s top-of-rack switches as LLDP neighbours', async () => {
    const lab = await commissionedLab();
    const [, lldp] = await lab.drivers.node.collectBuildData(lab.ctx, lab.nodeOf('east-ctl01'));
    const tors = lab.ctx.site.racks.get('rack01')?.torSwitches.map((t) => t.switchName) ?? [];
    expect(tors.length).toBeGreaterThan(0);
    expect(lldp?.dataElement).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<lldp label="LLDP neighbors">/);
    expect(lldp?.dataElement).toContain('<interface label="Interface" name="pxe" via="LLDP"');
    for (const tor of tors) expect(lldp?.dataElement).toContain(`<name label="SysName">${tor}</name>`);
  });

  it('works from a bare hand-made node: derived MAC, no aliases, no neighbours', async () => {
    const site = siteOf({
      networks: [makeNetwork('pxe', { ranges: [{ type: 'dhcp', start: '10.0.0.100', end: '10.0.0.100' }] })],
      hardwareProfiles: [makeHardwareProfile('plain')],
      nodes: [makeNode('lonely', { hardwareProfile: 'plain', addressing: [{ network: 'pxe', type: 'dhcp', address: null }] })],
    });
    const lab = await openLab({ site });
    await lab.run('configure_hardware', 'lonely');
    const [machine] = await lab.drivers.node.listMachines(lab.ctx);
    expect(machine).toMatchObject({ hostname: 'lonely', boot_ip: '10.0.0.100', power_address: null, status_name: 'Ready' });
    expect(machine?.boot_mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    const [lshw, lldp] = await lab.drivers.node.collectBuildData(lab.ctx, lab.nodeOf('lonely'));
    expect(JSON.parse(lshw?.dataElement ?? '{}')).toMatchObject({ id: 'lonely', vendor: 'Fake Lab' });
    expect(lldp?.dataElement).not.toContain('<interface');
  });
});

describe('fake lab listMachines', () => {
  it('lists every machine with Drydock\'s GET /nodes fields, by hostname', async () => {
    const lab = await commissionedLab();
    await lab.run('power_on_node', 'east-cmp01');
    const list = await lab.drivers.node.listMachines(lab.ctx);
    expect(list.map((m) => m.hostname)).toEqual(['east-cmp01', 'east-ctl01']);
    const cmp = list[0];
    expect(Object.keys(cmp ?? {}).sort()).toEqual(
      ['boot_ip', 'boot_mac', 'cpu_count', 'hostname', 'memory', 'power_address', 'power_state', 'status_name'].sort(),
    );
    expect(cmp).toMatchObject({
      hostname: 'east-cmp01',
      cpu_count: 44,
      status_name: 'Ready',
      boot_mac: '3c:fd:fe:a1:b2:02',
      power_state: 'on',
      power_address: '10.23.0.22',
      boot_ip: '10.23.10.12',
    });
    // At least twice the 40 GiB the profile reserves for hugepages.
    expect(cmp?.memory).toBeGreaterThanOrEqual(81_920);
  });

  it('is empty before any machine is used', async () => {
    const lab = await openLab();
    expect(await lab.drivers.node.listMachines(lab.ctx)).toEqual([]);
  });

  it('is shared by every instance over the same database', async () => {
    const lab = await commissionedLab();
    const other = await import('../../src/drivers/index.ts').then((m) => m.createDrivers(lab.ctx.config));
    expect((await other.node.listMachines(lab.ctx)).map((m) => m.hostname)).toEqual(['east-cmp01', 'east-ctl01']);
  });
});
