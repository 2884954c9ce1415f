import type * as v from 'valibot';
import { anyObject, array, number, opt, strict, string } from './json.ts';

/**
 * drydock/NetworkLink/v1. The schema has no enum for `bonding.mode` or
 * `trunking.mode`; Drydock rejects bad values later, when it builds the
 * model (see parse/ingest-checks.ts).
 */
export const networkLinkSchema = strict({
  bonding: opt(
    strict({
      mode: opt(string),
      hash: opt(string),
      peer_rate: opt(string),
      mon_rate: opt(number),
      up_delay: opt(number),
      down_delay: opt(number),
    }),
  ),
  mtu: opt(number),
  linkspeed: opt(string),
  trunking: opt(strict({ mode: opt(string), default_network: opt(string) })),
  allowed_networks: opt(array(string)),
  labels: opt(anyObject),
});

export type NetworkLinkData = v.InferOutput<typeof networkLinkSchema>;
