import type * as v from 'valibot';
import { hostEntries, interfaceEntries } from './host-common.ts';
import { array, loose, mapOf, opt, strict, string } from './json.ts';

/** drydock/BaremetalNode/v1: a HostProfile's keys plus `addressing`. */
export const baremetalNodeSchema = strict({
  ...hostEntries,
  addressing: opt(array(loose({ address: opt(string), network: opt(string) }))),
  interfaces: opt(mapOf(loose(interfaceEntries))),
});

export type BaremetalNodeData = v.InferOutput<typeof baremetalNodeSchema>;
