import type * as v from 'valibot';
import { anyObject, array, number, opt, strict, string } from './json.ts';

/**
 * drydock/Network/v1. `vlan` and `dns.servers` (comma separated) are strings;
 * `format: ipv4` on range bounds, relay and gateway addresses is not
 * enforced by Drydock's validator, which also lets IPv6 networks through.
 */
export const networkSchema = strict({
  cidr: opt(string),
  ranges: opt(array(strict({ type: opt(string), start: opt(string), end: opt(string) }))),
  dns: opt(strict({ domain: opt(string), servers: opt(string) })),
  dhcp_relay: opt(strict({ self_ip: opt(string), upstream_target: opt(string) })),
  mtu: opt(number),
  vlan: opt(string),
  routedomain: opt(string),
  routes: opt(
    array(
      strict({
        subnet: opt(string),
        gateway: opt(string),
        metric: opt(number),
        routedomain: opt(string),
      }),
    ),
  ),
  labels: opt(anyObject),
});

export type NetworkData = v.InferOutput<typeof networkSchema>;
