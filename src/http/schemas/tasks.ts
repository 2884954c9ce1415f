/** The request schemas of /tasks (see http/validate.ts). */
import * as v from 'valibot';
import { MAX_TASK_PAGE, DEFAULT_TASK_PAGE, TOP_LEVEL_ACTIONS } from '../../services/tasks/index.ts';
import { fieldsOf, Problem, queryParam } from './fields.ts';
import { designRef, tooLong } from './design-ref.ts';
import { nodeFilter } from './node-filter.ts';

const BODY = 'Request body must be a JSON object with action, design_ref and an optional node_filter.';
const DEFAULT_RETAIN_DAYS = 90;

/** A bad action as the error names it: a string (cut short) as itself, anything else by its type, never serialised. */
function describeAction(action: unknown): string {
  if (typeof action === 'string') return action.slice(0, 64);
  if (action === undefined || action === null) return 'null';
  const type = Array.isArray(action) ? 'a list' : typeof action === 'object' ? 'an object' : `a ${typeof action}`;
  return `(${type}; action must be a string)`;
}

const action = v.picklist(TOP_LEVEL_ACTIONS, (issue) => `Unsupported action ${describeAction(issue.input)}`);

/** The action alone: POST /tasks checks the action's own policy rule before the rest of the body. */
export const TaskActionBody = fieldsOf(BODY, { action });

export const NewTaskBody = fieldsOf(BODY, {
  action,
  design_ref: designRef({ missing: 'Task creation requires fields design_ref, action', tooLong: tooLong('design_ref') }),
  node_filter: nodeFilter,
});

/** Falcon's get_param_as_bool: its true and false spellings; absent is false, anything else 400. */
const falconBool = (name: string) =>
  queryParam(
    (raw) => {
      if (raw === undefined || raw === '') return false;
      const value = raw.trim().toLowerCase();
      if (['true', 't', 'yes', 'y', '1', 'on'].includes(value)) return true;
      if (['false', 'f', 'no', 'n', '0', 'off'].includes(value)) return false;
      return new Problem(`${name} must be true or false`);
    },
    v.pipe(v.optional(v.boolean(), false), v.description('Also t, yes, y, 1, on and f, no, n, 0, off, in any case.')),
  );

/** An optional whole number from `min` (to `max`) in the API document; `fallback` when absent. */
const wholeNumber = (min: number, fallback: number, max = 999_999) =>
  v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max)), fallback);

/** GET /tasks: a page of tasks, newest first. */
export const TaskListQuery = fieldsOf('Invalid query', {
  limit: queryParam((raw) => {
    if (raw === undefined) return DEFAULT_TASK_PAGE;
    const n = /^\d{1,7}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    return n >= 1 && n <= MAX_TASK_PAGE ? n : new Problem(`limit must be an integer from 1 to ${MAX_TASK_PAGE}`);
  }, wholeNumber(1, DEFAULT_TASK_PAGE, MAX_TASK_PAGE)),
  cursor: queryParam(
    (raw) => raw || undefined,
    v.pipe(v.optional(v.string()), v.description("The previous page's X-Next-Cursor.")),
  ),
  top_level: falconBool('top_level'),
});

/** GET /tasks/{id}: Drydock's view options. */
export const TaskViewQuery = fieldsOf('Invalid query', {
  builddata: falconBool('builddata'),
  subtaskerrors: falconBool('subtaskerrors'),
  /** Drydock read a bad `layers` as 0 and anything below -1 as 1; here both are 400. */
  layers: queryParam((raw) => {
    if (raw === undefined || raw === '') return 0;
    const n = /^-?\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    return n >= -1 ? n : new Problem('layers must be -1 (all) or a non-negative integer');
  }, v.pipe(wholeNumber(-1, 0), v.description('Subtask layers to include; -1: all.'))),
});

/**
 * DELETE /tasks. Drydock read any bad `days` as 90. Here it must be a
 * non-negative integer, except the literal `None` that Drydock's own client
 * sends when no days are given (delete_tasks(days=None)), which keeps
 * meaning the default.
 */
export const TaskPurgeQuery = fieldsOf('Invalid query', {
  days: queryParam((raw) => {
    if (raw === undefined || raw === '' || raw === 'None') return DEFAULT_RETAIN_DAYS;
    return /^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : new Problem('days must be a non-negative integer');
  }, v.pipe(wholeNumber(0, DEFAULT_RETAIN_DAYS), v.description('Removes tasks created more than this many days ago; "None" reads as the default.'))),
});

/** The largest wait of GET /tasks/{id}/events?format=json: under Workers' and proxies' idle limits. */
export const MAX_EVENT_WAIT_SECONDS = 25;

/** A task event sequence number: `after`, or the Last-Event-ID header of an SSE client resuming. */
export const eventSeq = (name: string) =>
  queryParam((raw) => {
    if (raw === undefined || raw.trim() === '') return 0;
    return /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : new Problem(`${name} must be a non-negative integer (an event id)`);
  }, v.pipe(wholeNumber(0, 0, Number.MAX_SAFE_INTEGER), v.description('Only events after this seq (the Last-Event-ID header wins).')));

/** GET /tasks/{id}/events: SSE by default; `format=json` (or Accept: application/json) for the long poll. */
export const TaskEventsQuery = fieldsOf('Invalid query', {
  after: eventSeq('after'),
  wait: queryParam((raw) => {
    if (raw === undefined || raw === '') return 0;
    const n = /^\d{1,3}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
    return n <= MAX_EVENT_WAIT_SECONDS ? n : new Problem(`wait must be an integer from 0 to ${MAX_EVENT_WAIT_SECONDS} (seconds)`);
  }, v.pipe(wholeNumber(0, 0, MAX_EVENT_WAIT_SECONDS), v.description('Long poll: seconds to wait for an event (format=json).'))),
  format: queryParam((raw) => {
    if (raw === undefined || raw === '') return null;
    return raw === 'json' || raw === 'sse' ? raw : new Problem('format must be json or sse');
  }, v.optional(v.pipe(v.picklist(['json', 'sse']), v.description('json: the long poll; sse (default unless Accept asks for JSON): Server-Sent Events.')))),
});

/** The Last-Event-ID header, read as `after`. */
export const LastEventIdHeader = fieldsOf('Invalid Last-Event-ID', { after: eventSeq('Last-Event-ID') });
