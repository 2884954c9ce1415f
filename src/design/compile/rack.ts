import type { DesignDocument } from '../document.ts';
import type { Rack } from '../model.ts';
import { docRef } from './messages.ts';
import { body, str, strList, strMap } from './values.ts';

/**
 * Drydock's process_drydock_rack. Labels: Drydock ignores them, but node
 * filters' `rack_labels` need them, so the document's metadata labels are
 * kept, overlaid with any `labels` in the body (the schema allows both).
 * Drydock reads `sdn_api_url` while the schema says `sdn_api_uri`; both work.
 */
export function compileRack(doc: DesignDocument): Rack {
  const d = doc.data;
  const torSwitches = Object.entries(body(d.tor_switches)).map(([switchName, raw]) => {
    const v = body(raw);
    return { switchName, mgmtIp: str(v.mgmt_ip), sdnApiUri: str(v.sdn_api_uri) ?? str(v.sdn_api_url) };
  });
  return {
    name: doc.name,
    doc: docRef(doc),
    labels: { ...doc.labels, ...strMap(d.labels) },
    torSwitches,
    location: strMap(d.location),
    localNetworks: strList(d.local_networks),
  };
}
