import type { DesignDocument } from '../document.ts';
import type { HardwareProfile } from '../model.ts';
import { docRef } from './messages.ts';
import { body, num, str, strMap } from './values.ts';

/** Drydock's process_drydock_hwprofile. `pxe_interface` is a number in the schema, a string in the model. */
export function compileHardwareProfile(doc: DesignDocument): HardwareProfile {
  const d = doc.data;
  const deviceAliases: HardwareProfile['deviceAliases'] = {};
  for (const [alias, raw] of Object.entries(body(d.device_aliases))) {
    const v = body(raw);
    deviceAliases[alias] = { address: str(v.address) ?? '', busType: str(v.bus_type) ?? '', devType: str(v.dev_type) };
  }
  const hugepages: HardwareProfile['hugepages'] = {};
  for (const [name, raw] of Object.entries(body(d.hugepages))) {
    const v = body(raw);
    hugepages[name] = { size: str(v.size) ?? '', count: num(v.count) ?? 0 };
  }
  return {
    name: doc.name,
    doc: docRef(doc),
    vendor: str(d.vendor),
    generation: str(d.generation),
    hwVersion: str(d.hw_version),
    biosVersion: str(d.bios_version),
    bootMode: str(d.boot_mode),
    bootstrapProtocol: str(d.bootstrap_protocol),
    pxeInterface: str(d.pxe_interface),
    deviceAliases,
    cpuSets: strMap(d.cpu_sets),
    hugepages,
  };
}
