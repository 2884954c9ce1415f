import type { PowerControl } from '../oob/power-flow.ts';
import type { Virsh } from './virsh.ts';

/**
 * A domain's power, as the shared power flow's switch: `virsh domstate`
 * (running, shut off, paused, …), `start` and `destroy` (Drydock's create()
 * and destroy(): a hard off, as pulling the plug). A power cycle is destroy
 * then start, as Drydock's, not `virsh reset`: a reset keeps the running
 * definition, so the network-first boot order set_node_boot just defined
 * would not apply until the next cold start.
 */
export function libvirtPower(virsh: Virsh, domain: string): PowerControl {
  return {
    async read() {
      const out = await virsh.run(['domstate', '--domain', domain]);
      return out.trim().split('\n')[0]?.trim() || 'no state';
    },
    isOn: (state) => state === 'running',
    isOff: (state) => state === 'shut off',
    async powerOn() {
      await virsh.run(['start', '--domain', domain]);
    },
    async powerOff() {
      await virsh.run(['destroy', '--domain', domain]);
    },
  };
}
