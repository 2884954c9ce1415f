import { describe, expect, it } from 'vitest';
import { applyEvent, exitCodeOf, newProgress } from '../../src/cli/progress-model.ts';
import { changeLines, elapsed, progressLines, summaryLines } from '../../src/cli/progress-view.ts';
import { colours } from '../../src/cli/terminal.ts';
import { clock, endEvent, partialDeploy, result, ROOT, taskEvent } from './events-fixtures.ts';

const plain = colours(false);

describe('progress of a task from its events', () => {
  it('off a TTY: one line per change of a node, then the summary naming the failed node and why', () => {
    const p = newProgress(ROOT);
    const seen = new Map<string, string>();
    const lines: string[] = [];
    const events = partialDeploy();
    for (const e of events) {
      applyEvent(p, e, clock(9));
      lines.push(...changeLines(p, seen, clock(9)));
    }
    expect(lines).toEqual([
      `deploy_nodes ${ROOT}: running (deploy)`,
      '  n1  deploy_node  running  9s',
      '  n2  deploy_node  running  9s',
      '  n1  deploy_node  success  5s',
      '  n2  deploy_node  failure  7s',
      `deploy_nodes ${ROOT}: partial_success`,
    ]);
    expect(summaryLines(p, plain)).toEqual([
      `deploy_nodes ${ROOT} partial_success: 1 node(s) succeeded, 1 failed in 9s`,
      '  n2: Node n2 deployment failed.',
    ]);
    expect(exitCodeOf(p)).toBe(1);
  });

  it('the live table: per node phase, state and elapsed, time running on for nodes still at work', () => {
    const p = newProgress(ROOT);
    for (const e of partialDeploy().slice(0, 4)) applyEvent(p, e, clock(6));
    expect(progressLines(p, clock(6), plain, 0)).toEqual([
      `deploy_nodes ${ROOT}: running (deploy) 6s`,
      '  NODE  PHASE        STATE    ELAPSED',
      '  n1    deploy_node  success  5s',
      '⠋ n2    deploy_node  running  6s',
    ]);
    expect(progressLines(p, clock(6), colours(true), 0).join('\n')).toContain('\u001b[32msuccess');
  });

  it('a phase subtask of several nodes names them in its result; success ends with exit code 0', () => {
    const p = newProgress(ROOT);
    applyEvent(p, taskEvent(0, { action: 'prepare_nodes', status: 'running', phase: 'identify' }), 0);
    applyEvent(p, taskEvent(3, { task: 'c', action: 'identify_node', status: 'running' }), 0);
    expect(p.nodes.size).toBe(0);
    applyEvent(p, taskEvent(4, { task: 'c', action: 'identify_node', status: 'complete', result: result('success', ['n1', 'n2']) }), 0);
    expect([...p.nodes.values()].map((r) => [r.node, r.phase, r.state])).toEqual([
      ['n1', 'identify_node', 'success'],
      ['n2', 'identify_node', 'success'],
    ]);
    applyEvent(p, endEvent('success', ['n1', 'n2'], []), clock(10));
    expect(exitCodeOf(p)).toBe(0);
    expect(summaryLines(p, plain)).toEqual([`prepare_nodes ${ROOT} success: 2 node(s) succeeded, 0 failed in 10s`]);
  });

  it('target nodes known beforehand are queued from the start; a running phase of several nodes takes those not failed', () => {
    const p = newProgress(ROOT, ['n1', 'n2', 'n3'], clock(0));
    applyEvent(p, taskEvent(0, { action: 'deploy_nodes', status: 'running' }), 0);
    expect([...p.nodes.values()].map((r) => r.state)).toEqual(['queued', 'queued', 'queued']);
    applyEvent(p, taskEvent(2, { task: 'x', action: 'apply_node_storage', status: 'complete', result: result('partial_success', ['n1', 'n2'], ['n3']) }), 0);
    applyEvent(p, taskEvent(3, { task: 'y', action: 'deploy_node', status: 'queued' }), 0);
    applyEvent(p, taskEvent(4, { task: 'y', action: 'deploy_node', status: 'running' }), 0);
    expect([...p.nodes.values()].map((r) => [r.node, r.phase, r.state])).toEqual([
      ['n1', 'deploy_node', 'running'],
      ['n2', 'deploy_node', 'running'],
      ['n3', 'apply_node_storage', 'failure'],
    ]);
    expect(progressLines(p, clock(5), plain, 1).slice(2)).toEqual([
      '⠙ n1    deploy_node         running  5s',
      '⠙ n2    deploy_node         running  5s',
      '  n3    apply_node_storage  failure  2s',
    ]);
  });

  it('a terminated task is not a success', () => {
    const p = newProgress(ROOT);
    applyEvent(p, taskEvent(0, { action: 'deploy_nodes', status: 'running' }), 0);
    applyEvent(p, { type: 'end', data: { seq: 99, status: 'terminated', result: result('failure', [], ['n1']) } }, clock(2));
    expect(p.status).toBe('terminated');
    expect(exitCodeOf(p)).toBe(1);
  });

  it('elapsed reads as seconds, minutes, hours', () => {
    expect([elapsed(4_400), elapsed(65_000), elapsed(3_720_000)]).toEqual(['4s', '1m05s', '1h02m']);
  });
});
