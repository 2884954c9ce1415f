import type { MachineSeed } from './model.ts';
import { startMaasSimulator, type MaasSimulator } from './simulator.ts';
import type { Timing } from './state.ts';
import { NODE_STATUS } from './status.ts';

/** The example site's nodes (test/fixtures/designs/site.yaml), in its order. */
export const EXAMPLE_NODES = ['east-ctl01', 'east-cmp01', 'east-cmp02'];

/**
 * Machines MAAS has enlisted for the example site, New and unnamed: each
 * with the node's boot MAC and BMC address, and the hardware its hardware
 * profile (dell-r740) names by bus address: pxe_nic01, data_nic01/02 and
 * root_disk, data_disk.
 */
export function exampleSiteMachines(count = EXAMPLE_NODES.length): MachineSeed[] {
  return Array.from({ length: count }, (_, i) => {
    const n = (i + 1).toString(16).padStart(2, '0');
    return {
      hostname: `enlisted-${i + 1}`,
      mac: `3c:fd:fe:a1:b2:${n}`,
      status: NODE_STATUS.NEW,
      powerParameters: { power_address: `10.23.0.${21 + i}`, power_user: 'root', power_pass: 'calvin' },
      extraMacs: [`3c:fd:fe:a1:c2:${n}`, `3c:fd:fe:a1:d2:${n}`],
      nicBusinfo: ['pci@0000:18:00.0', 'pci@0000:3b:00.0', 'pci@0000:3b:00.1'],
      disks: [{ name: 'sda', size: 480_103_981_056, scsi: '0:2.0.0' }, { name: 'sdb', size: 960_197_124_096, scsi: '0:2.1.0' }],
    };
  });
}

/** The region's rack controller, on mgmt: pxe's DHCP relay target. */
export const EXAMPLE_RACK_INTERFACES = [{ name: 'eth1', cidr: '10.23.20.0/24', vid: 120, ip: '10.23.20.5' }];

/** The boot images the example site's nodes ask for. */
export const EXAMPLE_BOOT_RESOURCES = [
  { name: 'ubuntu/xenial', architecture: 'amd64/ga-16.04' },
  { name: 'ubuntu/xenial', architecture: 'amd64/hwe-16.04' },
];

/**
 * The MAAS simulator holding the example site's machines, rack and images,
 * its clock moved one tick every 100 ms as a real MAAS's machines move on
 * their own. `stop` ends the ticking and closes it.
 */
export async function startExampleMaas(timing: Partial<Timing> = {}): Promise<{ sim: MaasSimulator; stop(): Promise<void> }> {
  const sim = await startMaasSimulator({
    machines: exampleSiteMachines(),
    rackInterfaces: EXAMPLE_RACK_INTERFACES,
    bootResources: EXAMPLE_BOOT_RESOURCES,
    timing,
  });
  const ticking = setInterval(() => sim.advance(1), 100);
  return {
    sim,
    async stop() {
      clearInterval(ticking);
      await sim.close();
    },
  };
}
