/**
 * The data of GET /tasks/{id}/events (README "Task events"), as the server
 * writes it (services/tasks/events-read.ts) and the CLI reads it (cli/events.ts).
 * http/schemas/responses.ts describes the same shapes for the OpenAPI document.
 */

export interface EventResult {
  status: string;
  successes: string[];
  failures: string[];
}

/** A task of the tree was created, or its status, phase or result changed. */
export interface TaskEventData {
  seq: number;
  ts: string;
  task_id: string;
  parent_task_id: string | null;
  action: string;
  node: string | null;
  status: string;
  phase: string | null;
  result: EventResult | null;
}

/** A message was added to a task's result. */
export interface MessageEventData {
  seq: number;
  ts: string;
  task_id: string;
  node: string | null;
  message: string;
  error: boolean;
}

/** The last event: the watched task is final and every earlier event was sent. */
export interface EndEventData {
  seq: number;
  status: string;
  result: EventResult | null;
}
