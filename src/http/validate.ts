/**
 * The one validation hook: request bodies and query strings are parsed by
 * valibot schemas (src/http/schemas/, built with fields.ts), and the first problem found is a 400
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
