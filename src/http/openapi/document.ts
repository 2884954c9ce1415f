/**
 * The OpenAPI 3.1 document of the app: one operation per route the app has
 * mounted (so a route cannot be missing from it), described by the route's
 * Operation entry, with request schemas converted from the valibot schemas
 * the routes validate with. A route without an entry is still listed, with
 * `x-undescribed: true` (the API document test fails on it).
 */
import * as v from 'valibot';
import { jsonSchemaConverter, type Json } from './json-schema.ts';
import type { Access, Answer, MountedOperation, Operation } from './operation.ts';

export interface DocumentInput {
  title: string;
  version: string;
  routes: readonly MountedOperation[];
  operations: Readonly<Record<string, Operation>>;
  /** Schemas shown once under components.schemas and referred to by name. */
  components: Record<string, v.GenericSchema>;
  /** The Status envelope's schema: every error answer. */
  errorSchema: v.GenericSchema;
}

export const SECURITY_SCHEMES = {
  keystone: { type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'A Keystone token, or a static token of AUTH_TOKENS' },
  agentToken: { type: 'http', scheme: 'bearer', description: "A site agent's token (POST /agents)" },
  bootactionKey: { type: 'apiKey', in: 'header', name: 'X-Bootaction-Key', description: "The node's key, or the boot action's own key" },
} as const;

const SECURITY: Record<Access, Json[]> = {
  open: [],
  keystone: [{ keystone: [] }],
  'agent-token': [{ agentToken: [] }],
  'node-key': [{ bootactionKey: [] }],
};

const PARAM = /:([A-Za-z0-9_]+)(?:\{([^}]+)\})?/g;

/** Hono's `/x/:id/:type{a|b}` as OpenAPI's `/x/{id}/{type}`, with its path parameters. */
export function openApiPath(pattern: string): { path: string; parameters: Json[] } {
  const parameters: Json[] = [];
  const path = pattern.replace(PARAM, (_whole, name: string, custom: string | undefined) => {
    const words = custom?.split('|');
    const schema = !custom ? { type: 'string' } : words!.every((w) => /^\w+$/.test(w)) ? { type: 'string', enum: words } : { type: 'string', pattern: `^(?:${custom})$` };
    parameters.push({ name, in: 'path', required: true, schema });
    return `{${name}}`;
  });
  return { path, parameters };
}

function queryParameters(query: v.GenericSchema, convert: (s: v.GenericSchema) => Json): Json[] {
  const json = convert(query) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: 'query', required: json.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

export function buildOpenApiDocument(input: DocumentInput): Json {
  const converter = jsonSchemaConverter(input.components);
  const convert = converter.convert;
  const answer = (a: Answer): Json => {
    if (a.schema) return { description: a.description, content: { 'application/json': { schema: convert(a.schema) } } };
    if (a.mediaType) return { description: a.description, content: { [a.mediaType]: {} } };
    return { description: a.description };
  };
  const error = { description: 'An error, in the Status envelope', content: { 'application/json': { schema: convert(input.errorSchema) } } };

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of input.routes) {
    const { path, parameters } = openApiPath(route.path);
    const op = input.operations[`${route.method} ${route.path}`];
    const operation: Json = op ? describe(op) : { summary: 'Undescribed route', 'x-undescribed': true, responses: { default: error } };
    if (parameters.length > 0 || Array.isArray(operation['parameters'])) {
      operation['parameters'] = [...parameters, ...((operation['parameters'] as Json[] | undefined) ?? [])];
    }
    const policy = [route.policy, op?.policy].filter(Boolean).join('; ');
    if (policy) operation['x-policy'] = policy;
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }

  function describe(op: Operation): Json {
    const operation: Json = { summary: op.summary, tags: [op.tag], security: SECURITY[op.access] };
    if (op.description) operation['description'] = op.description;
    if (op.query) operation['parameters'] = queryParameters(op.query, convert);
    if (op.body || op.bodyTypes) {
      const types = op.bodyTypes ?? ['application/json'];
      const schema = op.body ? convert(op.body) : {};
      const required = op.body ? !v.safeParse(op.body, undefined).success : true;
      operation['requestBody'] = { required, content: Object.fromEntries(types.map((t) => [t, { schema }])) };
    }
    const responses: Json = Object.fromEntries(Object.entries(op.responses).map(([status, a]) => [status, answer(a)]));
    operation['responses'] = { ...responses, default: error };
    return operation;
  }

  return {
    openapi: '3.1.0',
    info: { title: input.title, version: input.version },
    paths,
    components: { schemas: converter.definitions(), securitySchemes: SECURITY_SCHEMES },
  };
}
