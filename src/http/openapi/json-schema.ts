/**
 * valibot schemas to JSON Schema 2020-12 (OpenAPI 3.1's dialect) with
 * @valibot/to-json-schema. What it cannot describe (transforms, checks) it
 * leaves out: a field schema marked with documentedAs shows its doc schema
 * instead, and a field is required only when its own schema refuses
 * `undefined` (fieldsOf's fields all start from v.unknown()).
 */
import { toJsonSchema, type ConversionConfig, type JsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { DOCUMENTED_AS } from '../schemas/fields.ts';

export type Json = Record<string, unknown>;

type Schema = v.GenericSchema;

function requiredFields(schema: v.ObjectSchema<v.ObjectEntries, undefined>): string[] {
  return Object.entries(schema.entries)
    .filter(([, entry]) => !v.safeParse(entry, undefined).success)
    .map(([key]) => key);
}

/** A converter whose named schemas (`components`) become $refs to #/components/schemas/<name>. */
export function jsonSchemaConverter(components: Record<string, Schema>) {
  const config: ConversionConfig = {
    target: 'draft-2020-12',
    errorMode: 'ignore',
    definitions: components,
    overrideRef: ({ referenceId }) => `#/components/schemas/${referenceId}`,
    overrideSchema: ({ valibotSchema, jsonSchema }) => {
      const doc = (valibotSchema as { [DOCUMENTED_AS]?: Schema })[DOCUMENTED_AS];
      if (doc) return convert(doc) as JsonSchema;
      if (valibotSchema.type === 'object' && 'entries' in valibotSchema) {
        const required = requiredFields(valibotSchema as v.ObjectSchema<v.ObjectEntries, undefined>);
        const { required: _guessed, ...rest } = jsonSchema as Json;
        return (required.length > 0 ? { ...rest, required } : rest) as JsonSchema;
      }
      return undefined;
    },
  };

  function convert(schema: Schema): Json {
    const { $schema: _dialect, $defs: _defs, ...json } = toJsonSchema(schema, config) as Json;
    return json;
  }

  /** The named schemas themselves, for components.schemas. */
  function definitions(): Record<string, Json> {
    return Object.fromEntries(
      Object.entries(components).map(([name, schema]) => {
        // Converted without its own name in the definitions, so it is not a $ref to itself.
        const others = Object.fromEntries(Object.entries(components).filter(([n]) => n !== name));
        const { $schema: _dialect, $defs: _defs, ...json } = toJsonSchema(schema, { ...config, definitions: others }) as Json;
        return [name, json];
      }),
    );
  }

  return { convert, definitions };
}
