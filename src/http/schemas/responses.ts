/**
 * What the API answers, as valibot schemas for the API document
 * (GET /openapi.json; routes/api-operations.ts names them per route). The
 * request schemas beside this file validate; these only describe, so they
 * are loose where the answer carries more than its main fields.
 */
import * as v from 'valibot';
import { Machine } from './inventory.ts';

export { Machine };

const time = v.pipe(v.string(), v.isoTimestamp());
const nullableTime = v.nullable(time);

const MessageDetail = v.looseObject({ message: v.string(), error: v.boolean() });

/** Every error (core/errors.ts statusEnvelope), and the outcome of health checks and design validation. */
export const Status = v.pipe(
  v.object({
    kind: v.literal('Status'),
    apiVersion: v.literal('v1.0'),
    metadata: v.object({}),
    status: v.picklist(['Success', 'Failure']),
    message: v.string(),
    reason: v.string(),
    details: v.object({ errorCount: v.pipe(v.number(), v.integer()), messageList: v.array(MessageDetail) }),
    code: v.pipe(v.number(), v.integer()),
    retry: v.optional(v.boolean()),
  }),
  v.description('The Airship Status envelope.'),
);

export const Versions = v.record(v.string(), v.object({ path: v.string(), status: v.string() }));

const TaskResult = v.looseObject({
  status: v.nullable(v.string()),
  message: v.nullable(v.string()),
  reason: v.nullable(v.string()),
  details: v.looseObject({ errorCount: v.number(), messageList: v.array(MessageDetail) }),
});

export const BuildData = v.object({
  node_name: v.optional(v.string()),
  task_id: v.optional(v.string()),
  generator: v.string(),
  data_format: v.string(),
  data_element: v.string(),
  collected_date: time,
});

/** Drydock's Task form (services/tasks/serialize.ts). */
export const Task = v.looseObject({
  kind: v.literal('Task'),
  apiVersion: v.string(),
  task_id: v.pipe(v.string(), v.uuid()),
  action: v.string(),
  parent_task_id: v.nullable(v.string()),
  design_ref: v.nullable(v.string()),
  design_content_hash: v.nullable(v.string()),
  status: v.string(),
  result: TaskResult,
  node_filter: v.unknown(),
  subtask_id_list: v.array(v.string()),
  created: time,
  created_by: v.nullable(v.string()),
  updated: nullableTime,
  terminated: nullableTime,
  terminated_by: v.nullable(v.string()),
  terminate: v.boolean(),
  retry: v.number(),
  build_data: v.optional(v.array(BuildData)),
});

/** GET /tasks/{id}: the task, or with `layers` the tree keyed by task id beside `init_task_id`. */
export const TaskView = v.union([Task, v.objectWithRest({ init_task_id: v.string() }, v.unknown())]);

export const DesignSummary = v.object({
  design_id: v.string(),
  href: v.string(),
  created: time,
  content_hash: v.string(),
  size: v.pipe(v.number(), v.integer()),
});

const AgentReport = { version: v.nullable(v.string()), drivers: v.array(v.string()), tools: v.record(v.string(), v.boolean()) };

export const Agent = v.object({
  agent_id: v.string(),
  name: v.string(),
  site: v.string(),
  created: time,
  revoked: nullableTime,
  last_seen: nullableTime,
  live: v.boolean(),
  ...AgentReport,
});

export const CreatedAgent = v.object({
  agent_id: v.string(),
  name: v.string(),
  site: v.string(),
  token: v.pipe(v.string(), v.description('The Bearer token of the agent, shown only here.')),
  created: time,
});

/**
 * POST /bootaction(s)/{id}. The body is read by services/bootactions/signal-body.ts
 * (no valibot schema: its limits come from the configuration), so this only describes it.
 */
export const BootActionSignal = v.object({
  status: v.optional(v.picklist(['Success', 'Failure'])),
  details: v.optional(v.array(MessageDetail)),
});

export const BootActionStatus = v.object({
  action_id: v.string(),
  action_name: v.string(),
  node_name: v.string(),
  task_id: v.string(),
  action_status: v.string(),
});

/** What an agent's calls answer (docs/site-agent.md): objects whose fields that page lists. */
export const AgentAnswer = v.pipe(v.looseObject({}), v.description('See docs/site-agent.md.'));
export const LeasedCalls = v.object({ calls: v.array(v.looseObject({ call_id: v.string(), lease_id: v.string() })) });

const EventResult = v.nullable(v.object({ status: v.string(), successes: v.array(v.string()), failures: v.array(v.string()) }));

/** GET /tasks/{id}/events: one event's data (README "Task events"; the TypeScript shapes are core/task-events.ts). */
export const TaskEventData = v.union([
  v.pipe(
    v.looseObject({
      seq: v.number(),
      ts: time,
      task_id: v.string(),
      parent_task_id: v.nullable(v.string()),
      action: v.string(),
      node: v.nullable(v.string()),
      status: v.string(),
      phase: v.nullable(v.string()),
      result: EventResult,
    }),
    v.title('task'),
  ),
  v.pipe(
    v.looseObject({ seq: v.number(), ts: time, task_id: v.string(), node: v.nullable(v.string()), message: v.string(), error: v.boolean() }),
    v.title('message'),
  ),
  v.pipe(v.looseObject({ seq: v.number(), status: v.string(), result: EventResult }), v.title('end')),
]);

/** The long poll's answer (`format=json`). */
export const TaskEventPage = v.object({
  events: v.array(v.object({ seq: v.number(), type: v.picklist(['task', 'message', 'end']), data: TaskEventData })),
  last_seq: v.number(),
  done: v.boolean(),
});
