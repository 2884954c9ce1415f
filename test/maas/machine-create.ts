import { json, validation, type MaasReply, type MaasRequest } from './http-util.ts';
import { startCommissioning } from './lifecycle.ts';
import { machineDoc } from './machine-doc.ts';
import type { SimState } from './state.ts';

/**
 * POST machines/ by an admin (canonical/maas src/maasserver/api/machines.py
 * MachinesHandler.create): a new machine from mac_addresses, hostname,
 * architecture, power_type and power_parameters_*; `commission` defaults to
 * true, so it starts in Commissioning.
 */
const MAC_RE = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
const truthy = (v: string) => ['true', '1', 'on', 'yes'].includes(v.toLowerCase());

export function createMachine(st: SimState, r: MaasRequest): MaasReply {
  const macs = r.form.getAll('mac_addresses').map((m) => m.toLowerCase().replace(/-/g, ':'));
  if (!macs.length) return validation({ mac_addresses: ['This field is required.'] });
  const bad = macs.filter((m) => !MAC_RE.test(m));
  if (bad.length) return validation({ mac_addresses: bad.map((m) => `'${m}' is not a valid MAC address.`) });
  const taken = macs.filter((mac) => st.machines.some((x) => x.interfaces.some((i) => i.macAddress === mac)));
  if (taken.length) {
    return validation({ mac_addresses: [`One or more MAC addresses is invalid. (${taken.map((m) => `'${m}' already in use.`).join(' ')})`] });
  }
  const hostname = r.form.get('hostname') || `sim-${macs[0]!.replace(/:/g, '').slice(-6)}`;
  if (st.byHostname(hostname)) return validation({ hostname: [`Node with hostname "${hostname}" already exists`] });
  const powerParameters: Record<string, string> = {};
  for (const [k, v] of r.form.entries()) {
    if (k.startsWith('power_parameters_') && k !== 'power_parameters_skip_check') {
      powerParameters[k.slice('power_parameters_'.length)] = v;
    }
  }
  const m = st.addMachine({ hostname, mac: macs[0]!, extraMacs: macs.slice(1), powerType: r.form.get('power_type') ?? 'manual',
    powerParameters });
  m.architecture = r.form.get('architecture') ?? 'amd64/generic';
  m.commissioned = false;
  const commission = r.form.get('commission');
  if (commission === null || truthy(commission)) startCommissioning(st, m);
  return json(machineDoc(st.network, m, st.tagNamesOf(m)));
}
