import { OobError } from '../oob/oob-error.ts';
import type { PowerControl } from '../oob/power-flow.ts';
import type { Ipmitool } from './ipmitool.ts';

/** `Chassis Power is on` → on; anything else is not an answer to trust. */
export function powerStateOf(stdout: string): 'on' | 'off' {
  const m = /Chassis Power is (on|off)/i.exec(stdout);
  if (!m) throw new OobError(`ipmitool chassis power status answered ${JSON.stringify(stdout.trim().slice(0, 200))}, not on or off`);
  return (m[1] as string).toLowerCase() as 'on' | 'off';
}

/**
 * The chassis power switch (IPMI Chassis Control), as the shared power
 * flow's PowerControl. Off is a hard power down, as Drydock's
 * set_power('off'); Drydock's PowerOnNode sends off as well (a copy-paste
 * bug, so its power on never succeeds on a powered-off node), here it is on.
 */
export function ipmiPower(ipmitool: Ipmitool): PowerControl {
  return {
    read: async () => powerStateOf(await ipmitool(['chassis', 'power', 'status'])),
    isOn: (state) => state === 'on',
    isOff: (state) => state === 'off',
    powerOn: async () => {
      await ipmitool(['chassis', 'power', 'on']);
    },
    powerOff: async () => {
      await ipmitool(['chassis', 'power', 'off']);
    },
  };
}
