import type * as v from 'valibot';
import { array, boolean, loose, oneOfStrings, opt, strict, string } from './json.ts';

/**
 * drydock/Region/v1. The published schema misspells `additionalProperties`
 * (`additionalPropties`) under `repositories`, so jsonschema never checks the
 * repository entries: only `remove_unlisted` is typed. Drydock's own sample
 * sites rely on that (a repository without the "required" `arches`), so the
 * effective behaviour is kept; the ingest checks catch entries Drydock cannot
 * turn into a repository.
 */
export const regionSchema = strict({
  tag_definitions: opt(
    array(
      strict({
        tag: opt(string),
        definition_type: opt(oneOfStrings(['lshw_xpath'])),
        definition: opt(string),
      }),
    ),
  ),
  authorized_keys: opt(array(string)),
  repositories: opt(loose({ remove_unlisted: opt(boolean) })),
});

export type RegionData = v.InferOutput<typeof regionSchema>;
