import type { TaskMessage } from './task-store.ts';

/**
 * A condition that ends a task in failure with messages (a design that does
 * not load, a node filter that does not parse), as opposed to an unexpected
 * error, after which the step is retried.
 */
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly messages: TaskMessage[],
    readonly reason: string,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

/** The reason of a task whose design does not load (Drydock's OrchestratorError text). */
export const BAD_DESIGN = 'Site design failed load.';
