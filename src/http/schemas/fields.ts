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

/**
 * One query parameter (undefined when absent) read by `read`, which answers
 * the value or, for a bad one, a Problem with the message to answer.
 */
export function queryParam<T>(read: (raw: string | undefined) => T | Problem) {
  return v.pipe(
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
}

export class Problem {
  constructor(readonly message: string) {}
}
