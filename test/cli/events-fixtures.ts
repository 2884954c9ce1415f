/** Task events as the events stream sends them (README "Task events"), for the CLI's tests. */
import type { EventResult } from '../../src/core/task-events.ts';
import type { TaskEvent } from '../../src/cli/events.ts';

export const ROOT = 'root-task';
const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

let seq = 0;
const result = (status: string, successes: string[] = [], failures: string[] = []): EventResult => ({ status, successes, failures });

export function taskEvent(s: number, o: { task?: string; action: string; node?: string | null; status: string; phase?: string | null; result?: EventResult | null }): TaskEvent {
  return {
    type: 'task',
    data: {
      seq: ++seq,
      ts: at(s),
      task_id: o.task ?? ROOT,
      parent_task_id: o.task && o.task !== ROOT ? ROOT : null,
      action: o.action,
      node: o.node ?? null,
      status: o.status,
      phase: o.phase ?? null,
      result: o.result ?? null,
    },
  };
}

export const messageEvent = (s: number, node: string, message: string, error = true): TaskEvent => ({
  type: 'message',
  data: { seq: ++seq, ts: at(s), task_id: 'sub', node, message, error },
});

export const endEvent = (status: string, successes: string[], failures: string[]): TaskEvent => ({
  type: 'end',
  data: { seq: ++seq, status: 'complete', result: result(status, successes, failures) },
});

/** ms since the epoch for second `s` of the fixtures' clock. */
export const clock = (s: number) => T0 + s * 1000;

/** A deploy of two nodes: n1 succeeds, n2 fails its deploy_node. */
export function partialDeploy(): TaskEvent[] {
  return [
    taskEvent(0, { action: 'deploy_nodes', status: 'running', phase: 'deploy' }),
    taskEvent(1, { task: 'a', action: 'deploy_node', node: 'n1', status: 'running' }),
    taskEvent(1, { task: 'b', action: 'deploy_node', node: 'n2', status: 'running' }),
    taskEvent(5, { task: 'a', action: 'deploy_node', node: 'n1', status: 'complete', result: result('success', ['n1']) }),
    messageEvent(7, 'n2', 'Node n2 deployment failed.'),
    taskEvent(7, { task: 'b', action: 'deploy_node', node: 'n2', status: 'complete', result: result('failure', [], ['n2']) }),
    taskEvent(8, { action: 'deploy_nodes', status: 'complete', result: result('partial_success', ['n1'], ['n2']) }),
    endEvent('partial_success', ['n1'], ['n2']),
  ];
}

export { result };
