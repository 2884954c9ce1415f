import * as v from 'valibot';

/**
 * Building blocks that give valibot the semantics of Drydock's draft-04 JSON
 * schemas, as run by Python's `jsonschema.Draft4Validator` without a format
 * checker:
 * - `type: object` excludes arrays (valibot's object schemas accept them);
 * - `type: number` is any JS number, NaN included (YAML's `.nan` is a float
 *   to jsonschema; valibot's `number()` rejects it);
 * - `format` (ipv4, uri) is annotation only, so it is never checked here;
 * - `pattern` searches anywhere in the string (Python's `re.search`).
 * Messages follow jsonschema's wording so Drydock users recognise them.
 */

export type Schema<T = unknown> = v.GenericSchema<unknown, T>;

/** A short, cycle-safe rendering of a value for messages. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(text);
  }
  if (Array.isArray(value)) return '[...]';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value !== null && typeof value === 'object') return '{...}';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return String(value);
}

const typeMessage = (type: string) => (issue: v.BaseIssue<unknown>) =>
  `${show(issue.input)} is not of type '${type}'`;

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const objectType = v.custom<Record<string, unknown>>(isJsonObject, typeMessage('object'));

export const string = v.string(typeMessage('string'));
export const number = v.custom<number>((x) => typeof x === 'number', typeMessage('number'));
export const boolean = v.boolean(typeMessage('boolean'));
export const nullValue = v.null_(typeMessage('null'));
export const anything = v.unknown();

export function array<T>(item: Schema<T>): Schema<T[]> {
  return v.array(item, typeMessage('array'));
}

/** `type: string` plus `enum`. */
export function oneOfStrings<const T extends readonly [string, ...string[]]>(values: T): Schema<T[number]> {
  const listed = `[${values.map((x) => `'${x}'`).join(', ')}]`;
  return v.pipe(
    string,
    v.picklist(values, (issue) => `${show(issue.input)} is not one of ${listed}`),
  );
}

/** `type: string` plus `pattern` (searched, not anchored, as Python's re.search). */
export function pattern(regex: RegExp, source: string): Schema<string> {
  return v.pipe(
    string,
    v.regex(regex, (issue) => `${show(issue.input)} does not match '${source}'`),
  );
}

/** `oneOf` of alternatives that can never both match. */
export function oneOf<const T extends readonly Schema[]>(options: T): Schema<v.InferOutput<T[number]>> {
  return v.union(
    options,
    (issue) => `${show(issue.input)} is not valid under any of the given schemas`,
  ) as unknown as Schema<v.InferOutput<T[number]>>;
}

const requiredMessage = (issue: v.BaseIssue<unknown>) =>
  `'${issue.expected?.replace(/^"|"$/g, '') ?? ''}' is a required property`;

/** The marker the issue formatter turns into jsonschema's additionalProperties text. */
export const ADDITIONAL_PROPERTY = 'additional property';

/**
 * `properties` + `additionalProperties: false`. Not v.strictObject: that one
 * stops at the first unknown key, and Drydock (jsonschema) reports them all.
 */
export function strict<const E extends v.ObjectEntries>(entries: E): Schema<v.InferOutput<v.ObjectSchema<E, undefined>>> {
  const schema = v.pipe(
    objectType,
    v.objectWithRest(entries, v.never(ADDITIONAL_PROPERTY), requiredMessage),
  );
  return schema as unknown as Schema<v.InferOutput<v.ObjectSchema<E, undefined>>>;
}

/** `properties` with additional properties allowed (the draft-04 default). */
export function loose<const E extends v.ObjectEntries>(entries: E): Schema<v.InferOutput<v.LooseObjectSchema<E, undefined>>> {
  const schema = v.pipe(objectType, v.looseObject(entries, requiredMessage));
  return schema as unknown as Schema<v.InferOutput<v.LooseObjectSchema<E, undefined>>>;
}

/** `type: object` with `additionalProperties: <schema>` and no `properties`. */
export function mapOf<T>(value: Schema<T>): Schema<Record<string, T>> {
  return v.pipe(objectType, v.record(v.string(), value)) as unknown as Schema<Record<string, T>>;
}

/** `type: object` with anything inside (`additionalProperties: true`). */
export const anyObject: Schema<Record<string, unknown>> = objectType;

export const opt = v.optional;
