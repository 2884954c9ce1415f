/** Building blocks of the request schemas: objects whose every field is checked, and query parameters. */
import * as v from 'valibot';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/**
 * An object with these fields (a JSON body, or a query string); anything
 * else (a list too, unless `lists` says a list is read as an object without
 * fields, as Python's `key in body` does) is `message`. Every field is
 * checked, present or not, so a missing field gets its own schema's message
 * (or default); other fields are ignored.
 */
export function fieldsOf<E extends v.ObjectEntries>(message: string, entries: E, options: { lists?: boolean } = {}) {
  const keys = Object.keys(entries);
  return v.pipe(
    v.unknown(),
    v.check((x) => isRecord(x) && (options.lists === true || !Array.isArray(x)), message),
    v.transform((x) => Object.fromEntries(keys.map((k) => [k, Array.isArray(x) ? undefined : (x as Record<string, unknown>)[k]]))),
    v.object(entries),
  );
}

/** Where documentedAs keeps the schema the API document shows in place of one valibot cannot describe. */
export const DOCUMENTED_AS = '~documentedAs';

/**
 * `schema`, which the API document (GET /openapi.json) shows as `doc`: for a
 * schema valibot cannot turn into JSON Schema (a rawTransform, a check that
 * calls a service), `doc` says in valibot what the code accepts. The mark
 * goes on the pipe's first schema, the one the converter reaches (it never
 * offers a pipe itself for override): that must be a schema made for this
 * pipe, as `v.unknown()` written inline is.
 */
export function documentedAs<S extends v.GenericSchema>(schema: S, doc: v.GenericSchema): S {
  const first = 'pipe' in schema ? (schema.pipe as unknown[])[0] : schema;
  Object.assign(first as object, { [DOCUMENTED_AS]: doc });
  return schema;
}

/**
 * One query parameter (undefined when absent) read by `read`, which answers
 * the value or, for a bad one, a Problem with the message to answer. `doc`:
 * what the API document says the parameter takes (see documentedAs).
 */
export function queryParam<T>(read: (raw: string | undefined) => T | Problem, doc: v.GenericSchema = v.optional(v.string())) {
  const param = v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      // Hono's c.req.query(): a string per parameter; undefined where fieldsOf filled in an absent one.
      const out = read(typeof dataset.value === 'string' ? dataset.value : undefined);
      if (out instanceof Problem) {
        addIssue({ message: out.message });
        return NEVER;
      }
      return out;
    }),
  );
  return documentedAs(param, doc);
}

export class Problem {
  constructor(readonly message: string) {}
}
