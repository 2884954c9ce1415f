import type * as v from 'valibot';
import {
  anyObject,
  array,
  boolean,
  mapOf,
  nullValue,
  oneOf,
  oneOfStrings,
  opt,
  pattern,
  strict,
  string,
} from './json.ts';

/**
 * drydock/BootAction/v1. Patterns are searched as Python's `re.search` does:
 * `\d{3}` anywhere in `permissions` (Python's `\d` takes any Unicode digit),
 * and a `path` starting with `/` followed by a character other than a newline.
 */
const asset = strict({
  path: opt(pattern(/^\/[^\n]/, '^/.+')),
  location: opt(string),
  type: oneOfStrings(['unit', 'file', 'pkg_list']),
  data: opt(oneOf([string, mapOf(oneOf([string, nullValue]))])),
  location_pipeline: opt(array(oneOfStrings(['template']))),
  data_pipeline: opt(
    array(oneOfStrings(['base64_encode', 'template', 'base64_decode', 'utf8_encode', 'utf8_decode'])),
  ),
  permissions: opt(pattern(/\p{Nd}{3}/u, '\\d{3}')),
});

const nodeFilter = strict({
  filter_type: opt(oneOfStrings(['intersection', 'union'])),
  node_names: opt(array(string)),
  node_tags: opt(array(string)),
  node_labels: opt(anyObject),
  rack_names: opt(array(string)),
  rack_labels: opt(anyObject),
});

export const bootActionSchema = strict({
  signaling: opt(boolean),
  assets: opt(array(asset)),
  node_filter: opt(
    strict({
      filter_set_type: opt(oneOfStrings(['intersection', 'union'])),
      filter_set: opt(array(nodeFilter)),
    }),
  ),
});

export type BootActionData = v.InferOutput<typeof bootActionSchema>;
