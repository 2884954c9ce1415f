import { OobError } from '../oob/oob-error.ts';
import type { Ipmitool } from './ipmitool.ts';
import { powerStateOf } from './power.ts';

/** `Key   : value` lines of ipmitool's reports (mc info, fru print). */
export function fieldsOf(stdout: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^\s*([^:]+?)\s*:\s*(.+?)\s*$/.exec(line);
    if (m && !fields.has(m[1] as string)) fields.set(m[1] as string, m[2] as string);
  }
  return fields;
}

const MC_FIELDS = ['Manufacturer Name', 'Product Name', 'Firmware Revision', 'IPMI Version'];
const FRU_FIELDS = ['Product Manufacturer', 'Product Name', 'Product Part Number', 'Product Version', 'Product Serial', 'Board Mfg', 'Board Product', 'Board Serial', 'Chassis Serial'];

const listed = (fields: Map<string, string>, names: string[], prefix: string) =>
  names.filter((n) => fields.has(n)).map((n) => `${prefix}${n} ${fields.get(n)}`);

/**
 * interrogate_oob: the power state (all Drydock reports), what the BMC says
 * of itself (mc info) and, when it has FRU 0, the machine's product and
 * serial. A BMC without FRU data is no failure; one that fails power status
 * or mc info is.
 */
export async function interrogate(ipmitool: Ipmitool): Promise<string> {
  const power = powerStateOf(await ipmitool(['chassis', 'power', 'status']));
  const mc = fieldsOf(await ipmitool(['mc', 'info']));
  const parts = [`powerstate ${power}`, ...listed(mc, MC_FIELDS, 'BMC ')];
  try {
    const fru = listed(fieldsOf(await ipmitool(['fru', 'print', '0'])), FRU_FIELDS, '');
    parts.push(...(fru.length > 0 ? fru : ['no FRU product data']));
  } catch (err) {
    if (!(err instanceof OobError)) throw err;
    parts.push('no FRU data (fru print 0 failed)');
  }
  return `IPMI interface interrogation yielded ${parts.join('; ')}`;
}
