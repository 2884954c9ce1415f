import type { HostInterface } from '../model.ts';
import { inheritField, mergeKeyed, mergeLists } from './inherit.ts';
import type { InterfaceLayer } from './layers.ts';
import { body, bool, isBody, num, str, strList } from './values.ts';

/**
 * `interfaces` mapping -> interface layers. A `null` value removes the
 * inherited interface, as Drydock's docs say; Drydock's ingester builds the
 * `!name` marker and then skips appending it, so the removal never worked
 * there. An explicit `!name` key works too.
 */
export function parseInterfaces(value: unknown): InterfaceLayer[] {
  const out: InterfaceLayer[] = [];
  for (const [name, raw] of Object.entries(body(value))) {
    if (raw === null) {
      const deviceName = name.startsWith('!') ? name : `!${name}`;
      out.push({ deviceName, networkLink: null, hardwareSlaves: [], networks: [], sriov: null });
      continue;
    }
    const v = body(raw);
    out.push({
      deviceName: name,
      networkLink: str(v.device_link),
      hardwareSlaves: strList(v.slaves),
      networks: strList(v.networks),
      sriov: parseSriov(v),
    });
  }
  return out;
}

/**
 * The schema's key is `trustmode`; Drydock's ingester reads `trustedmode`,
 * so trusted mode was always off. Both spellings are read here.
 */
function parseSriov(v: Record<string, unknown>): InterfaceLayer['sriov'] {
  if (!Object.hasOwn(v, 'sriov')) return null;
  const s = isBody(v.sriov) ? v.sriov : {};
  return { vfCount: num(s.vf_count), trustedMode: bool(s.trustmode) ?? bool(s.trustedmode) };
}

/**
 * Drydock merges device_link, slaves and networks, and drops the sriov
 * settings of a merged interface; here sriov is inherited field by field.
 */
function mergeInterface(child: InterfaceLayer, parent: InterfaceLayer | null): InterfaceLayer {
  const p = parent;
  const sriov =
    child.sriov === null && p?.sriov == null
      ? null
      : {
          vfCount: inheritField(child.sriov?.vfCount ?? null, p?.sriov?.vfCount ?? null),
          trustedMode: inheritField(child.sriov?.trustedMode ?? null, p?.sriov?.trustedMode ?? null),
        };
  return {
    deviceName: child.deviceName,
    networkLink: inheritField(child.networkLink, p?.networkLink ?? null),
    hardwareSlaves: mergeLists(child.hardwareSlaves, p?.hardwareSlaves ?? []),
    networks: mergeLists(child.networks, p?.networks ?? []),
    sriov,
  };
}

export function mergeInterfaces(
  child: readonly InterfaceLayer[],
  parent: readonly InterfaceLayer[],
): readonly InterfaceLayer[] {
  return mergeKeyed(child, parent, (i) => i.deviceName, mergeInterface);
}

/** Drydock's defaults for a declared sriov stanza: 0 VFs, untrusted. */
export function finalInterface(i: InterfaceLayer): HostInterface {
  return {
    deviceName: i.deviceName,
    networkLink: i.networkLink,
    hardwareSlaves: [...i.hardwareSlaves],
    networks: [...i.networks],
    sriov: i.sriov !== null,
    vfCount: i.sriov === null ? null : (i.sriov.vfCount ?? 0),
    trustedMode: i.sriov === null ? null : (i.sriov.trustedMode ?? false),
  };
}
