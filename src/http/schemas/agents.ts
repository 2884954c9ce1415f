/** The request schemas of /agents and the agent calls (docs/site-agent.md; see http/validate.ts). */
import * as v from 'valibot';
import { documentedAs, fieldsOf } from './fields.ts';

const CONTROL = /[\u0000-\u001f\u007f]/;
const TEXT_MAX = 4096;

export const NewAgentBody = fieldsOf('Request body must be a JSON object with name and site.', {
  name: v.pipe(
    v.string('name must be a string'),
    v.regex(/^[A-Za-z0-9._-]{1,63}$/, 'name must be 1-63 characters of A-Z, a-z, 0-9, ".", "_" and "-"'),
  ),
  site: v.pipe(
    v.string('site must be a string'),
    v.minLength(1, 'site must not be empty'),
    v.maxLength(253, 'site must be at most 253 characters'),
    v.check((s) => !CONTROL.test(s), 'site must not contain control characters'),
  ),
});

/** `schema`'s output, or `message` for any problem inside it (its own messages name valibot's types, not the protocol). */
function oneMessage<S extends v.GenericSchema>(schema: S, message: string) {
  const checked = v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const result = v.safeParse(schema, dataset.value);
      if (result.success) return result.output as v.InferOutput<S>;
      addIssue({ message });
      return NEVER;
    }),
  );
  return documentedAs(checked, schema);
}

/** valibot's record() takes a list for an object: these JSON objects must be objects. */
const notList = (message: string) => v.check((x: unknown) => !Array.isArray(x), message);

const shortText = (name: string, max = 64) =>
  v.pipe(v.string(`${name} must be a string`), v.maxLength(max, `${name} must be at most ${max} characters`));

export const HeartbeatBody = v.pipe(
  v.unknown(),
  v.transform((x) => x ?? {}),
  fieldsOf('Request body must be a JSON object with version, drivers and tools.', {
    version: v.optional(v.nullable(shortText('version')), null),
    drivers: v.optional(v.pipe(v.array(shortText('each driver'), 'drivers must be a list of strings'), v.maxLength(32, 'at most 32 drivers')), []),
    tools: v.optional(
      v.pipe(
        v.unknown(),
        notList('tools must be an object of tool name to true or false'),
        v.record(shortText('a tool name'), v.boolean('each tool must be true or false'), 'tools must be an object of tool name to true or false'),
        v.check((t) => Object.keys(t).length <= 32, 'at most 32 tools'),
      ),
      {},
    ),
  }),
);

const count = (name: string, min: number, max: number) =>
  v.pipe(
    v.number(`${name} must be a whole number`),
    v.integer(`${name} must be a whole number`),
    v.minValue(min, `${name} must be at least ${min}`),
    v.maxValue(max, `${name} must be at most ${max}`),
  );

/** `maxWait`: AGENT_LEASE_WAIT_MAX_SECONDS; the default wait is 20 s, or that when less. */
export const leaseBody = (maxWait: number) =>
  v.pipe(
    v.unknown(),
    v.transform((x) => x ?? {}),
    fieldsOf('Request body must be a JSON object with wait_seconds and max.', {
      wait_seconds: v.optional(count('wait_seconds', 0, maxWait), Math.min(20, maxWait)),
      max: v.optional(count('max', 1, 10), 1),
    }),
  );

const leaseId = v.pipe(v.string('lease_id must be a string'), v.regex(/^[0-9a-f-]{36}$/, 'lease_id must be a lease id'));

export const RenewBody = fieldsOf('Request body must be a JSON object with lease_id.', { lease_id: leaseId });

const PROGRESS = 'progress must be {"state": "done", "detail"?}, {"state": "failed", "reason"} or {"state": "pending", "retry_after_ms"?, "memo"?, "detail"?}';
const detail = v.optional(v.pipe(v.string(), v.maxLength(TEXT_MAX)));
const memo = v.pipe(
  v.unknown(),
  notList('memo must be an object'),
  v.record(v.string(), v.union([v.string(), v.number(), v.boolean(), v.null()])),
  v.check((m) => Object.keys(m).length <= 64),
);

const progress = v.pipe(
  v.variant('state', [
    v.strictObject({ state: v.literal('done'), detail }),
    v.strictObject({ state: v.literal('failed'), reason: v.pipe(v.string(), v.minLength(1), v.maxLength(TEXT_MAX)) }),
    v.strictObject({
      state: v.literal('pending'),
      retry_after_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(86_400_000))),
      memo: v.optional(memo),
      detail,
    }),
  ]),
  // The driver's Progress (drivers/types.ts), as the orchestrator takes it from the call's row.
  v.transform((p) => {
    if (p.state !== 'pending') return p;
    const { retry_after_ms, ...rest } = p;
    return retry_after_ms === undefined ? rest : { ...rest, retryAfterMs: retry_after_ms };
  }),
);

const BUILD_DATA =
  'build_data must be a list of at most 100 {"generator", "data_format", "data_element", "collected_date" (ISO 8601)} records';
const buildData = v.pipe(
  v.array(
    v.strictObject({
      generator: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
      data_format: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
      data_element: v.string(),
      collected_date: v.pipe(v.string(), v.isoTimestamp()),
    }),
  ),
  v.maxLength(100),
  v.transform((records) =>
    records.map((r) => ({ generator: r.generator, dataFormat: r.data_format, dataElement: r.data_element, collectedDate: new Date(r.collected_date) })),
  ),
);

export const ResultBody = fieldsOf('Request body must be a JSON object with lease_id and progress.', {
  lease_id: leaseId,
  progress: oneMessage(progress, PROGRESS),
  build_data: v.optional(oneMessage(buildData, BUILD_DATA), []),
  build_data_error: v.optional(
    v.pipe(v.string('build_data_error must be a string'), v.maxLength(TEXT_MAX, `build_data_error must be at most ${TEXT_MAX} characters`)),
  ),
});

export const CONTENT_HASH = /^[0-9a-f]{64}$/;
