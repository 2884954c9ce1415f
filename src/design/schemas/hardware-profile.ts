import type * as v from 'valibot';
import { anyObject, mapOf, number, oneOfStrings, opt, strict, string } from './json.ts';

/**
 * drydock/HardwareProfile/v1. `pxe_interface` is a number. The schema
 * misspells `properties` (`propertes`) under `hugepages`, so jsonschema only
 * checks that each hugepages entry is an object; size and count are checked
 * by the ingest checks, as Drydock's model does. `device_aliases` is free-form
 * to the schema.
 */
export const hardwareProfileSchema = strict({
  vendor: opt(string),
  generation: opt(string),
  hw_version: opt(string),
  bios_version: opt(string),
  boot_mode: opt(oneOfStrings(['bios', 'uefi'])),
  bootstrap_protocol: opt(oneOfStrings(['pxe', 'usb', 'hdd'])),
  pxe_interface: opt(number),
  device_aliases: opt(anyObject),
  cpu_sets: opt(mapOf(string)),
  hugepages: opt(mapOf(anyObject)),
});

export type HardwareProfileData = v.InferOutput<typeof hardwareProfileSchema>;
