import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { apiError } from '../../src/cli/errors.ts';
import { formatAnswer, outputFormat } from '../../src/cli/output.ts';
import { nodeListView, taskView, validationView, type TaskDoc } from '../../src/cli/views.ts';

const task: TaskDoc = {
  task_id: 't-1',
  action: 'deploy_nodes',
  status: 'complete',
  design_ref: 'design://d-1',
  created: '2030-01-01T00:00:00.000Z',
  created_by: 'admin',
  subtask_id_list: ['s1', 's2'],
  result: {
    status: 'partial_success',
    successes: ['n1'],
    failures: ['n2'],
    details: { messageList: [{ message: 'Node n2 deployment failed.', error: true }, { message: 'n1 deployed', error: false }] },
  },
};

describe('output formats', () => {
  it('json and yaml print the answer as the API gave it', () => {
    expect(JSON.parse(formatAnswer('json', task, taskView))).toEqual(task);
    expect(parse(formatAnswer('yaml', task, taskView))).toEqual(task);
  });

  it("table: a task's fields, its failures and only its error messages", () => {
    const text = formatAnswer('table', task, taskView);
    expect(text).toMatch(/│ Result\s+│ partial_success\s+│/);
    expect(text).toMatch(/│ Failures\s+│ n2\s+│/);
    expect(text).toMatch(/│ Subtasks\s+│ 2\s+│/);
    expect(text).toContain('Node n2 deployment failed.');
    expect(text).not.toContain('n1 deployed');
  });

  it("table: Drydock's node list columns, one row per machine", () => {
    const text = nodeListView([{ hostname: 'n1', status_name: 'Deployed', cpu_count: 8, memory: 16384, boot_mac: 'aa:bb', boot_ip: '10.0.0.1', power_address: '10.1.0.1', power_state: 'on' }]);
    const lines = text.split('\n');
    expect(lines[1]).toMatch(/Node Name.*Status.*CPUs.*Memory.*PXE MAC.*Mgmt IP.*IPMI IP.*Power State/);
    expect(lines[3]).toMatch(/n1.*Deployed.*8.*16384.*aa:bb.*10\.0\.0\.1.*10\.1\.0\.1.*on/);
  });

  it('table: each validation message with level, code and the documents it names', () => {
    const text = validationView({
      status: 'Failure',
      message: 'Site design failed validation.',
      details: { messageList: [{ name: 'DD2002', level: 'Error', error: true, message: 'IP Locality Check', documents: [{ schema: 'drydock/BaremetalNode/v1', name: 'n1' }] }] },
    });
    expect(text.split('\n')[0]).toBe('Site design failed validation.');
    expect(text).toMatch(/Error\s+│ DD2002\s+│ IP Locality Check\s+│ drydock\/BaremetalNode\/v1 n1/);
  });

  it('an unknown format is a usage error (exit 2)', () => {
    expect(() => outputFormat('xml')).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it("an error answer: the envelope's message and each error of its messageList", () => {
    const err = apiError(400, {
      kind: 'Status',
      message: 'Invalid input',
      details: { messageList: [{ message: 'action: Invalid type', error: true }, { message: 'a note', error: false }] },
    });
    expect([err.message, ...err.details]).toEqual(['Invalid input (HTTP 400)', 'action: Invalid type']);
    expect(err.exitCode).toBe(1);
    expect(apiError(502, '<html>').message).toBe('HTTP 502');
  });
});
