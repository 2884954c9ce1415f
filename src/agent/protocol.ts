import * as v from 'valibot';
import type { DriverMemo, Progress } from '../drivers/types.ts';

/**
 * The agent's side of docs/site-agent.md: what the edge sends (a leased
 * call) and what the agent posts back (a result). A call that does not
 * parse is not run: the agent cannot know what it would do.
 */
const MemoSchema = v.nullable(v.record(v.string(), v.union([v.string(), v.number(), v.boolean(), v.null()])));

export const CallSchema = v.object({
  call_id: v.pipe(v.string(), v.minLength(1)),
  lease_id: v.pipe(v.string(), v.minLength(1)),
  lease_expires: v.string(),
  task_id: v.string(),
  node: v.nullable(v.string()),
  action: v.string(),
  driver: v.string(),
  design: v.object({ content_hash: v.pipe(v.string(), v.minLength(1)) }),
  memo: v.optional(MemoSchema, null),
  attempt: v.optional(v.number(), 1),
  /** deliver_boot_action_context only: the deploying node's key, actions and packages. */
  boot_action_context: v.optional(
    v.object({
      node_key: v.pipe(v.string(), v.minLength(1)),
      actions: v.array(v.object({ name: v.string(), action_id: v.string(), signaling: v.boolean() })),
      packages: v.record(v.string(), v.nullable(v.string())),
    }),
  ),
});
export type Call = v.InferOutput<typeof CallSchema>;

export const LeaseAnswerSchema = v.object({ calls: v.array(v.unknown()) });

/** The wire form of a driver's Progress (snake_case, as the rest of the API). */
export type WireProgress =
  | { state: 'done'; detail?: string }
  | { state: 'failed'; reason: string }
  | { state: 'pending'; retry_after_ms?: number; memo?: DriverMemo; detail?: string };

export interface WireBuildData {
  generator: string;
  data_format: string;
  data_element: string;
  collected_date: string;
}

/** The body of POST /agents/calls/{call_id}/result. */
export interface ResultBody {
  lease_id: string;
  progress: WireProgress;
  build_data?: WireBuildData[];
  /** Why a done stage's build data could not be collected (the edge says so in the task's messages). */
  build_data_error?: string;
}

export function wireProgress(progress: Progress): WireProgress {
  switch (progress.state) {
    case 'done':
      return progress.detail === undefined ? { state: 'done' } : { state: 'done', detail: progress.detail };
    case 'failed':
      return { state: 'failed', reason: progress.reason };
    case 'pending': {
      const out: WireProgress = { state: 'pending' };
      if (progress.retryAfterMs !== undefined) out.retry_after_ms = progress.retryAfterMs;
      if (progress.memo !== undefined) out.memo = progress.memo;
      if (progress.detail !== undefined) out.detail = progress.detail;
      return out;
    }
  }
}

/** What the agent reports in its heartbeat. */
export interface Heartbeat {
  version: string;
  drivers: string[];
  tools: Record<string, boolean>;
}
