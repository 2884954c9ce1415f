import type { PowerControl } from '../oob/power-flow.ts';
import type { Virsh } from './virsh.ts';

/**
 * A domain's power, as the shared power flow's switch: `virsh domstate`
 * (running, shut off, paused, …), `start` (or `resume` when paused) and
 * `destroy` (Drydock's create() and destroy(): a hard off, as pulling the plug). A power cycle is destroy
 * then start, as Drydock's, not `virsh reset`: a reset keeps the running
 * definition, so the network-first boot order set_node_boot just defined
 * would not apply until the next cold start.
 */
export function libvirtPower(virsh: Virsh, domain: string): PowerControl {
  const read = async () => (await virsh.run(['domstate', '--domain', domain])).trim().split('\n')[0]?.trim() || 'no state';
  return {
    read,
    isOn: (state) => state === 'running',
    isOff: (state) => state === 'shut off',
    async powerOn() {
      // A paused domain is active, so `start` refuses it; it runs again on `resume`.
      // (Drydock counts a paused domain as on, isActive(), and leaves it paused.)
      if ((await read()) === 'paused') await virsh.run(['resume', '--domain', domain]);
      else await virsh.run(['start', '--domain', domain]);
    },
    async powerOff() {
      await virsh.run(['destroy', '--domain', domain]);
    },
  };
}
