import { describe, expect, it } from 'vitest';
import { openLab, type Lab } from './lab.ts';

const detail = async (lab: Lab, name: string) => (await lab.machine(name))?.detail as Record<string, unknown>;

async function commissioned(lab: Lab, name: string) {
  for (const a of ['set_node_boot', 'power_cycle_node', 'identify_node', 'configure_hardware'] as const) {
    expect(await lab.run(a, name)).toMatchObject({ state: 'done' });
  }
}

describe('fake lab node driver: provisioning states', () => {
  it('creates a New, powered-off machine on first use, with the identity the design gives', async () => {
    const lab = await openLab();
    expect(await lab.run('identify_node', 'east-cmp02')).toEqual({ state: 'done', detail: 'Node east-cmp02 identified in the fake lab' });
    const row = await lab.machine('east-cmp02');
    expect(row).toMatchObject({
      status: 'New',
      powerState: 'off',
      bootDevice: 'disk',
      bootMac: '3c:fd:fe:a1:b2:03',
      powerAddress: '10.23.0.23',
      cpuCount: 44, // cpu sets of dell-r740 name CPUs 0-43
      operation: null,
    });
    // east-cmp02 takes its PXE address by DHCP: a stable lease from the pxe network's dhcp range.
    const [, , , last] = (row?.bootIp ?? '').split('.').map(Number);
    expect(row?.bootIp).toMatch(/^10\.23\.10\./);
    expect(last).toBeGreaterThanOrEqual(100);
    expect(last).toBeLessThanOrEqual(250);
  });

  it('commissions New -> Ready, powering the machine off at the end, as MAAS does', async () => {
    const lab = await openLab();
    expect(await lab.run('configure_hardware', 'east-ctl01')).toEqual({ state: 'done', detail: 'Node east-ctl01 commissioned.' });
    expect(await lab.machine('east-ctl01')).toMatchObject({ status: 'Ready', powerState: 'off', operation: null });
    expect((await detail(lab, 'east-ctl01'))['commissioned']).toBe(new Date(Date.UTC(2024, 0, 1, 12)).toISOString());
  });

  it('skips commissioning a machine that is already commissioned (Drydock: "node commissioned. Skipping...")', async () => {
    const lab = await openLab();
    await commissioned(lab, 'east-ctl01');
    const again = await lab.run('configure_hardware', 'east-ctl01', { taskId: 'task-2' });
    expect(again).toMatchObject({ state: 'done', detail: expect.stringContaining('node commissioned. Skipping') });
    const log = (await detail(lab, 'east-ctl01'))['log'] as Array<{ action: string }>;
    expect(log.filter((e) => e.action === 'configure_hardware')).toHaveLength(1);
  });

  it('refuses networking, storage and platform before the machine is commissioned', async () => {
    const lab = await openLab();
    for (const a of ['apply_node_networking', 'apply_node_storage', 'apply_node_platform'] as const) {
      const p = await lab.run(a, 'east-cmp01');
      expect(p.state).toBe('failed');
      expect(p.state === 'failed' && p.reason).toContain('is New');
    }
  });

  it('records the networking, storage and platform it applies, from the node model', async () => {
    const lab = await openLab();
    await commissioned(lab, 'east-cmp01');
    for (const a of ['apply_node_networking', 'apply_node_storage', 'apply_node_platform'] as const) {
      expect(await lab.run(a, 'east-cmp01')).toMatchObject({ state: 'done' });
    }
    const d = await detail(lab, 'east-cmp01');
    const net = d['networking'] as { interfaces: Array<Record<string, unknown>> };
    expect(net.interfaces.map((i) => i['device']).sort()).toEqual(['bond0', 'eno1']);
    expect(net.interfaces.find((i) => i['device'] === 'bond0')).toMatchObject({
      bonding: '802.3ad',
      mtu: 9000,
      slaves: [
        { name: 'data_nic01', busType: 'pci', address: '0000:3b:00.0' },
        { name: 'data_nic02', busType: 'pci', address: '0000:3b:00.1' },
      ],
      links: [{ network: 'mgmt', cidr: '10.23.20.0/24', vlan: '120', mode: 'static', address: '10.23.20.22' }],
    });
    const storage = d['storage'] as { physicalDevices: Array<Record<string, unknown>>; volumeGroups: Array<Record<string, unknown>> };
    expect(storage.physicalDevices[0]).toMatchObject({ name: 'root_disk', busType: 'scsi', address: '0:2.0.0' });
    expect(storage.physicalDevices[0]?.['partitions']).toContainEqual(
      expect.objectContaining({ name: 'var', size: '>100g', mountpoint: '/var', fstype: 'ext4' }),
    );
    expect(storage.volumeGroups[0]).toMatchObject({ name: 'data_vg' });
    // Drydock's kernel parameter string: hugepages first, resolved from the hardware profile.
    expect(d['platform']).toEqual({
      image: 'xenial',
      kernel: 'ga-16.04',
      kernelParams: 'hugepagesz=1G hugepages=32 console=ttyS1,115200n8 intel_iommu=on quiet isolcpus=4-21,26-43',
    });
  });

  it('deploys Ready -> Deployed with the machine powered on, recording owner data', async () => {
    const lab = await openLab();
    await commissioned(lab, 'east-ctl01');
    expect(await lab.run('deploy_node', 'east-ctl01')).toEqual({ state: 'done', detail: 'Node east-ctl01 deployed.' });
    expect(await lab.machine('east-ctl01')).toMatchObject({ status: 'Deployed', powerState: 'on' });
    expect((await detail(lab, 'east-ctl01'))['deployment']).toEqual({
      image: 'xenial',
      kernel: 'ga-16.04',
      ownerData: { site: 'east-lab', role: 'control' },
    });
  });

  it('skips applying configuration to a Deployed machine and counts it a success, as Drydock', async () => {
    const lab = await openLab();
    await commissioned(lab, 'east-ctl01');
    await lab.run('deploy_node', 'east-ctl01');
    const p = await lab.run('apply_node_storage', 'east-ctl01', { taskId: 'task-2' });
    expect(p).toMatchObject({ state: 'done', detail: expect.stringContaining('status deployed. Skipping') });
    expect(await lab.run('deploy_node', 'east-ctl01', { taskId: 'task-2' })).toMatchObject({ state: 'done', detail: 'Node east-ctl01 already deployed, skipping.' });
  });

  it('refuses to deploy a machine that was never commissioned', async () => {
    const lab = await openLab();
    expect(await lab.run('deploy_node', 'east-ctl01')).toEqual({
      state: 'failed',
      reason: 'Unexpected status New for node east-ctl01, skipping deployment.',
    });
  });

  it('releases a Deployed machine: Releasing -> Ready, powered off, its applied configuration erased', async () => {
    const lab = await openLab();
    await commissioned(lab, 'east-ctl01');
    await lab.run('apply_node_storage', 'east-ctl01');
    await lab.run('deploy_node', 'east-ctl01');
    expect(await lab.run('destroy_node', 'east-ctl01')).toEqual({ state: 'done', detail: 'Node east-ctl01 released and disk erased.' });
    expect(await lab.machine('east-ctl01')).toMatchObject({ status: 'Ready', powerState: 'off' });
    const d = await detail(lab, 'east-ctl01');
    expect(d).not.toHaveProperty('storage');
    expect(d).not.toHaveProperty('deployment');
    expect(d).toHaveProperty('commissioned');
  });

  it('destroys a machine that is not deployed by resetting its storage only', async () => {
    const lab = await openLab();
    await commissioned(lab, 'east-ctl01');
    await lab.run('apply_node_storage', 'east-ctl01');
    expect(await lab.run('destroy_node', 'east-ctl01')).toEqual({
      state: 'done',
      detail: 'Destroy node east-ctl01 in status: Ready, resetting storage.',
    });
    expect(await detail(lab, 'east-ctl01')).not.toHaveProperty('storage');
    expect((await lab.machine('east-ctl01'))?.status).toBe('Ready');
  });

  it('interrogates a node (Drydock\'s MAAS InterrogateNode always failed: not implemented)', async () => {
    const lab = await openLab();
    await commissioned(lab, 'east-ctl01');
    expect(await lab.run('interrogate_node', 'east-ctl01')).toEqual({
      state: 'done',
      detail: 'Node east-ctl01: status Ready, power off, boot device pxe.',
    });
  });

  it('does the site-wide actions at once, with no node', async () => {
    const lab = await openLab();
    for (const a of ['validate_node_services', 'configure_node_provisioner', 'create_network_template', 'configure_user_credentials'] as const) {
      expect(await lab.run(a, null)).toMatchObject({ state: 'done' });
    }
    expect(await lab.run('validate_node_services', null)).toMatchObject({ detail: expect.stringContaining('xenial') });
    expect(await lab.run('create_network_template', null)).toMatchObject({ detail: expect.stringContaining('3 networks and 2 network links') });
  });

  it('fails a per-node action given no node, and an action it does not carry out', async () => {
    const lab = await openLab();
    expect(await lab.drivers.node.run(lab.ctx, 'deploy_node', null)).toMatchObject({ state: 'failed' });
    expect(await lab.drivers.node.run(lab.ctx, 'relabel_node', lab.nodeOf('east-ctl01'))).toEqual({
      state: 'failed',
      reason: 'The fake node driver does not carry out relabel_node.',
    });
    expect(lab.drivers.node.actions.has('deploy_node')).toBe(true);
    expect(lab.drivers.node.actions.has('power_cycle_node')).toBe(false);
  });
});
