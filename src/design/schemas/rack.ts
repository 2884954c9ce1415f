import type * as v from 'valibot';
import { anyObject, array, loose, opt, strict, string } from './json.ts';

/**
 * drydock/Rack/v1. The published schema describes one switch (`mgmt_ip`,
 * `sdn_api_uri`) directly under `tor_switches` instead of under each switch
 * name, with additional properties allowed; so the switch entries themselves
 * go unchecked and only keys literally named `mgmt_ip`/`sdn_api_uri` must be
 * strings. Their `format` (ipv4, uri) is not checked, as in Drydock.
 */
export const rackSchema = strict({
  tor_switches: opt(loose({ mgmt_ip: opt(string), sdn_api_uri: opt(string) })),
  location: opt(loose({ clli: opt(string), grid: opt(string) })),
  local_networks: opt(array(string)),
  labels: opt(anyObject),
});

export type RackData = v.InferOutput<typeof rackSchema>;
