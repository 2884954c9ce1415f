import type * as v from 'valibot';
import { hostEntries, interfaceEntries } from './host-common.ts';
import { boolean, loose, mapOf, number, opt, strict } from './json.ts';

/**
 * drydock/HostProfile/v1. Interfaces are open objects; only a HostProfile's
 * schema types `sriov` (with `trustmode`, while Drydock's ingester reads
 * `trustedmode`: both pass, being additional properties). An interface
 * removed from the parent profile is written as a `!`-prefixed key; a null
 * value is not an object and fails, as in Drydock.
 */
export const hostProfileSchema = strict({
  ...hostEntries,
  interfaces: opt(
    mapOf(
      loose({
        ...interfaceEntries,
        sriov: opt(loose({ vf_count: opt(number), trustmode: opt(boolean) })),
      }),
    ),
  ),
});

export type HostProfileData = v.InferOutput<typeof hostProfileSchema>;
