import { OobError } from '../oob/oob-error.ts';
import type { Progress } from '../types.ts';
import type { Ipmitool } from './ipmitool.ts';

export interface BootFlagsRead {
  /** ipmitool's words for the boot device selector, e.g. `Force PXE`, `No override`. */
  device: string;
  persistent: boolean;
}

/** The boot flags (parameter 5) as `ipmitool chassis bootparam get 5` prints them. */
export function bootFlagsOf(stdout: string): BootFlagsRead {
  const device = /Boot Device Selector\s*:\s*(.+)/.exec(stdout)?.[1]?.trim();
  if (!device) throw new OobError(`ipmitool chassis bootparam get 5 printed no boot device selector: ${JSON.stringify(stdout.trim().slice(0, 200))}`);
  return { device, persistent: /Options apply to all future boots/i.test(stdout) };
}

/**
 * set_node_boot: the next boot, once, from the network. `chassis bootdev
 * pxe` sets the boot flags valid, for the next boot only (ipmitool adds the
 * persistent bit only with options=persistent), as Drydock's pyghmi
 * set_bootdev('pxe'). It is sent every time, as Drydock does: a BMC may keep
 * showing Force PXE after a boot used the override up, so reading PXE does
 * not tell that the next boot will be. Then read back, as Drydock's
 * get_bootdev, checking also that the BMC did not make it persistent. The
 * valid bit is not required in the read back: BMCs (ipmi_sim among them)
 * report it cleared while still holding the device for the next boot.
 */
export async function setPxeOnce(ipmitool: Ipmitool): Promise<Progress> {
  await ipmitool(['chassis', 'bootdev', 'pxe']);
  const flags = bootFlagsOf(await ipmitool(['chassis', 'bootparam', 'get', '5']));
  if (!/PXE/i.test(flags.device)) {
    throw new OobError(`the BMC accepted the boot device PXE but reads back boot device ${flags.device}`);
  }
  if (flags.persistent) {
    throw new OobError('the BMC set PXE for all future boots, not the next boot only');
  }
  return { state: 'done', detail: `the next boot, once, is from the network (read back: ${flags.device}, next boot only)` };
}
