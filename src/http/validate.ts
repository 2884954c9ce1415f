/**
 * The one validation hook: request bodies and query strings are parsed by
 * valibot schemas (src/http/schemas/), and the first problem found is a 400
 * in the error envelope. Each schema carries its endpoint's messages, most of
 * them Drydock's own texts, which its clients and tests know.
 */
import type { Context } from 'hono';
import * as v from 'valibot';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';
import { readJsonBody } from './json-body.ts';

/** `input` as `schema` reads it; 400 with the first issue's message otherwise. */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (!result.success) throw new ApiError('BadRequest', result.issues[0].message);
  return result.output;
}

/** The JSON body (readJsonBody's rules: 415, 413, 408, depth) as `schema` reads it. */
export async function validJson<S extends v.GenericSchema>(c: Context<AppEnv>, schema: S): Promise<v.InferOutput<S>> {
  return parseInput(schema, await readJsonBody(c));
}

/** The query string (the first value of each parameter) as `schema` reads it. */
export function validQuery<S extends v.GenericSchema>(c: Context<AppEnv>, schema: S): v.InferOutput<S> {
  return parseInput(schema, c.req.query());
}

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
