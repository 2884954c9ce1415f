/** The table views of the API's answers (what `--output table` shows). */
import { recordTable, rowsTable } from './output.ts';

export interface TaskDoc {
  task_id: string;
  action: string;
  status: string;
  parent_task_id?: string | null;
  design_ref?: string | null;
  created?: string;
  created_by?: string | null;
  updated?: string | null;
  terminated_by?: string | null;
  subtask_id_list?: string[];
  result?: {
    status?: string;
    message?: string | null;
    successes?: string[];
    failures?: string[];
    details?: { messageList?: Array<{ message: string; error: boolean; ts?: string }> };
  };
}

export interface NodeDoc {
  hostname: string;
  status_name?: string;
  cpu_count?: number;
  memory?: number;
  boot_mac?: string;
  boot_ip?: string;
  power_address?: string;
  power_state?: string;
}

export interface BuildDataDoc {
  node_name: string;
  task_id: string;
  collected_date: string;
  generator: string;
  data_format: string;
  data_element: string;
}

export interface ValidationDoc {
  status: string;
  message: string;
  details?: { messageList?: Array<{ name?: string; level?: string; message: string; error?: boolean; documents?: Array<{ name: string; schema: string }> }> };
}

const list = (xs: string[] | undefined) => (xs && xs.length ? xs.join(', ') : '');

export function taskListView(tasks: TaskDoc[]): string {
  const rows = tasks.map((t) => [t.task_id, t.action, t.status, t.result?.status ?? '', t.result?.successes?.length ?? 0, t.result?.failures?.length ?? 0, t.created ?? '']);
  return rowsTable(['Task ID', 'Action', 'Status', 'Result', 'Successes', 'Failures', 'Created'], rows);
}

export function taskView(t: TaskDoc): string {
  const table = recordTable([
    ['Task ID', t.task_id],
    ['Action', t.action],
    ['Status', t.status],
    ['Result', t.result?.status],
    ['Message', t.result?.message],
    ['Design ref', t.design_ref],
    ['Successes', list(t.result?.successes)],
    ['Failures', list(t.result?.failures)],
    ['Subtasks', t.subtask_id_list?.length ?? 0],
    ['Created', `${t.created ?? ''}${t.created_by ? ` by ${t.created_by}` : ''}`],
    ['Updated', t.updated],
    ...(t.terminated_by ? ([['Terminated by', t.terminated_by]] as Array<[string, string]>) : []),
  ]);
  const errors = (t.result?.details?.messageList ?? []).filter((m) => m.error);
  if (errors.length === 0) return table;
  return `${table}\n${rowsTable(['Error messages'], errors.map((m) => [m.message]))}`;
}

const NODE_HEAD = ['Node Name', 'Status', 'CPUs', 'Memory', 'PXE MAC', 'Mgmt IP', 'IPMI IP', 'Power State'];
const nodeRow = (n: NodeDoc) => [n.hostname, n.status_name, n.cpu_count, n.memory, n.boot_mac, n.boot_ip, n.power_address, n.power_state];

/** Drydock's `node list` columns. */
export function nodeListView(nodes: NodeDoc[]): string {
  return rowsTable(NODE_HEAD, nodes.map(nodeRow));
}

export function nodeView(n: NodeDoc): string {
  const values = nodeRow(n);
  return recordTable(NODE_HEAD.map((name, i) => [name, values[i]]));
}

/** Each record's header, then its data as collected. */
export function buildDataView(records: BuildDataDoc[]): string {
  return records
    .map((r) => `${r.node_name}  ${r.generator}  ${r.data_format}  ${r.collected_date}  task ${r.task_id}\n${r.data_element.trimEnd()}`)
    .join('\n\n');
}

export function validationView(doc: ValidationDoc): string {
  const messages = doc.details?.messageList ?? [];
  if (messages.length === 0) return doc.message;
  const rows = messages.map((m) => [m.level ?? (m.error ? 'Error' : 'Info'), m.name ?? '', m.message, (m.documents ?? []).map((d) => `${d.schema} ${d.name}`).join('\n')]);
  return `${doc.message}\n${rowsTable(['Level', 'Code', 'Message', 'Documents'], rows)}`;
}

export function nodeNamesView(names: string[]): string {
  return rowsTable(['Node'], names.map((n) => [n]));
}

export function designView(d: { design_id: string; href: string; created?: string; content_hash?: string; size?: number }): string {
  return recordTable([
    ['Design ID', d.design_id],
    ['design_ref', d.href],
    ['Created', d.created],
    ['Content hash', d.content_hash],
    ['Size', d.size],
  ]);
}

export function designListView(list: Array<{ design_id: string; href: string; created?: string; size?: number }>): string {
  return rowsTable(
    ['design_ref', 'Created', 'Size'],
    list.map((d) => [d.href, d.created, d.size]),
  );
}
