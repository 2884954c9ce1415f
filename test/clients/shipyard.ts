/**
 * Airship Shipyard's Drydock operators as their source behaves
 * (src/bin/shipyard_airflow/shipyard_airflow/, airshipit/shipyard): what
 * each one asks of Drydock, through Drydock's Python client or `requests`,
 * and which fields of the answers it reads. Written from reading that
 * source, not copied; each function names the one it plays. Airflow, xcom,
 * notes storage and Kubernetes checks are left out: only Drydock's side.
 */
import { DrydockClient, DrydockSession, type Json } from './drydock-client.ts';
import { pyDumps, pyRequest, type PyValue } from './python-requests.ts';

export interface ShipyardContext {
  /** Drydock's internal endpoint from the Keystone catalogue, e.g. http://drydock-api:9000/api/v1.0 */
  drydockEndpoint: string;
  /** Deckhand's endpoint; the design ref is built from it (ucp_base_operator.py _deckhand_design_ref). */
  deckhandEndpoint: string;
  revisionId: number;
  svcToken: string;
  contextMarker: string;
  user: string;
}

/** os.path.join(endpoint, part): one slash between them. */
const osPathJoin = (a: string, ...parts: string[]) => [a, ...parts].reduce((acc, p) => (acc.endsWith('/') ? acc + p : `${acc}/${p}`));

/** ucp_base_operator.py _deckhand_design_ref. */
export const deckhandDesignRef = (ctx: ShipyardContext) =>
  osPathJoin(`deckhand+${ctx.deckhandEndpoint}`, 'revisions', String(ctx.revisionId), 'rendered-documents');

/** drydock_base_operator.py _setup_drydock_client: a session on the endpoint's host and port only. */
export function shipyardDrydockClient(ctx: ShipyardContext): DrydockClient {
  const url = new URL(ctx.drydockEndpoint);
  return new DrydockClient(
    new DrydockSession({
      host: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      authGen: () => [['X-Auth-Token', ctx.svcToken]],
      marker: ctx.contextMarker,
      endUser: ctx.user,
    }),
  );
}

/** ucp_preflight_check_operator.py: GET os.path.join(endpoint, 'health'); 204 is healthy. */
export async function preflightHealthy(ctx: ShipyardContext): Promise<boolean> {
  return (await pyRequest('GET', osPathJoin(ctx.drydockEndpoint, 'health'))).status === 204;
}

/** drydock_validate_design.py do_execute: the answer's `status`, lower-cased, must be 'success'. */
export async function validateDesignOperator(ctx: ShipyardContext): Promise<{ status: string; passed: boolean }> {
  const res = await pyRequest('POST', osPathJoin(ctx.drydockEndpoint, 'validatedesign'), {
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': ctx.svcToken, 'X-Context-Marker': ctx.contextMarker, 'X-End-User': ctx.user },
    data: pyDumps({ rel: 'design', href: deckhandDesignRef(ctx), type: 'application/x-yaml' }),
  });
  const status = String(((await res.json()) as Json).status ?? 'unspecified');
  return { status, passed: status.toLowerCase() === 'success' };
}

/**
 * configdocs_helper.py _get_validations_for_component and the reading in
 * _get_validations_from_ucp_components / _generate_validation_message: the
 * design reference as a JSON string, an answer over 400 is a failure to
 * validate, and each message becomes a ValidationMessage from its fields.
 */
export async function configdocsValidations(ctx: ShipyardContext): Promise<{ code: number; errorCount: number; messages: Json[] }> {
  // design_reference_helper.py get_design_reference: json.dumps of the dict.
  const designReference = pyDumps({ rel: 'design', href: deckhandDesignRef(ctx), type: 'application/x-yaml' });
  const res = await pyRequest('POST', `${ctx.drydockEndpoint}/validatedesign`, {
    headers: { 'X-Context-Marker': ctx.contextMarker, 'X-Auth-Token': ctx.svcToken, 'content-type': 'application/json' },
    data: designReference,
  });
  if (res.status > 400) throw new Error(`Drydock unable to validate configdocs (${res.status})`);
  const response = (await res.json()) as Json;
  const list: Json[] = response.details == null ? [{ message: String(response), error: true }] : (response.details.messageList ?? []);
  let errorCount = 0;
  const messages = list.map((msg) => {
    const defaultLevel = msg.error ? 'Error' : 'Info';
    if (msg.error) errorCount++;
    const fields = ['message', 'error', 'name', 'documents', 'level', 'diagnostic', 'source'];
    const defaults: Json = { level: defaultLevel, source: 'Drydock', documents: [] };
    const valmsg: Json = Object.fromEntries(fields.map((f) => [f, msg[f] !== undefined ? msg[f] : (defaults[f] ?? null)]));
    valmsg.kind = 'ValidationMessage';
    valmsg.level = valmsg.level || (valmsg.error ? 'Error' : 'Info');
    return { ...valmsg, ts: msg.ts };
  });
  return { code: res.status, errorCount, messages };
}

/** drydock_base_operator.py create_task: the answer's task_id. */
export async function createTask(client: DrydockClient, ctx: ShipyardContext, action: string, nodeFilter: PyValue = null): Promise<string> {
  const created = await client.create_task(deckhandDesignRef(ctx), action, nodeFilter);
  if (!created.task_id) throw new Error('Unable to create task!');
  return created.task_id;
}

/**
 * drydock_base_operator.py query_task: get_task every interval, reading
 * `status` and `result.status`, until complete or terminated; the result
 * must be success or partial_success.
 */
export async function queryTask(client: DrydockClient, taskId: string, intervalMs = 100, timeoutMs = 60_000): Promise<{ status: string; result: string }> {
  const rounds = Math.round(timeoutMs / intervalMs);
  let status = '';
  let result = '';
  for (let i = 0; i <= rounds; i++) {
    const state = await client.get_task(taskId);
    status = state.status;
    result = state.result.status;
    if (status === 'running' && i === rounds) throw new Error('Task Execution Timed Out!');
    if (status === 'complete' || status === 'terminated') break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  if (result !== 'success' && result !== 'partial_success') throw new Error(`Failed to Execute/Complete Task! (${result})`);
  return { status, result };
}

export interface TaskNotes {
  /** "<context_type>:<context>:<message>[ (error)]", as _create_drydock_results_notes writes them. */
  messages: string[];
  /** (rel, href) of every link, to be fetched later with the service token. */
  links: Array<{ rel: string; href: string; subject: string }>;
}

/**
 * drydock_base_operator.py get_successes_for_task: the top task's
 * successes minus its failures, each task's messages and links noted, and
 * every subtask of subtask_id_list visited the same way.
 */
export async function getSuccessesForTask(client: DrydockClient, taskId: string, notes: TaskNotes, extendSuccess = true): Promise<Set<string>> {
  const successes = new Set<string>();
  const task = await client.get_task(taskId);
  const result = task.result;
  if (result != null) {
    if (extendSuccess) {
      const failures = new Set<string>(result.failures ?? []);
      for (const n of result.successes ?? []) if (!failures.has(n)) successes.add(n);
    }
    for (const msg of result.details?.messageList ?? []) {
      if (msg.message) notes.messages.push(`${msg.context_type ?? 'N/A'}:${msg.context ?? 'N/A'}:${msg.message}${msg.error ? ' (error)' : ''}`);
    }
    for (const link of result.links ?? []) {
      if (link.rel && link.href) notes.links.push({ rel: link.rel, href: link.href, subject: taskId });
    }
  }
  for (const child of task.subtask_id_list ?? []) {
    for (const n of await getSuccessesForTask(client, child, notes, false)) successes.add(n);
  }
  return successes;
}

/** notes.py get_note_url_info: GET the link as given, with only the service token; raise_for_status. */
export async function fetchNoteLink(href: string, svcToken: string): Promise<string> {
  const res = await pyRequest('GET', href, { headers: { 'X-Auth-Token': svcToken } });
  if (res.status >= 400) throw new Error(`NoteURLRetrievalError: ${res.status} for ${href}`);
  return res.text();
}

/** node_lookup.py _generate_node_filter from a group's selectors (GroupNodeSelector fields). */
export function nodeLookupFilter(selectors: Array<{ node_names?: string[]; node_labels?: string[]; node_tags?: string[]; rack_names?: string[] }>): PyValue {
  const filterSet: PyValue[] = [];
  for (const sel of selectors) {
    const names = sel.node_names ?? [];
    const labels = sel.node_labels ?? [];
    const tags = sel.node_tags ?? [];
    const racks = sel.rack_names ?? [];
    if (!names.length && !labels.length && !tags.length && !racks.length) continue; // an "all" selector
    // deployment_group.py get_node_labels_as_dict: "key: value" strings to a dict.
    const labelDict = Object.fromEntries(labels.map((l) => [l.split(':')[0]!.trim(), l.split(':')[1]!.trim()]));
    filterSet.push({ filter_type: 'intersection', node_names: names, node_tags: tags, node_labels: labelDict, rack_names: racks });
  }
  return filterSet.length ? { filter_set_type: 'union', filter_set: filterSet } : null;
}

/** drydock_base_operator.py gen_node_name_filter. */
export const nodeNameFilter = (nodeNames: string[]): PyValue => ({
  filter_set_type: 'union',
  filter_set: [{ filter_type: 'union', node_names: nodeNames }],
});

/**
 * drydock_base_operator.py fetch_failure_details and check_subtask_failure:
 * every task from one get_tasks(), the failed parent found by id, then each
 * layer of subtask ids looked up in that list (a missing one raises), reading
 * action, result.status, details.errorCount and the error messages.
 */
export async function fetchFailureDetails(client: DrydockClient, parentId: string): Promise<{ visited: string[]; errors: Json[] }> {
  const allTasks: Json[] = await client.get_tasks();
  const byId = new Map(allTasks.map((t) => [t.task_id as string, t]));
  const parent = allTasks.find((t) => t.task_id === parentId);
  if (!parent) return { visited: [], errors: [] };
  const visited: string[] = [];
  const errors: Json[] = [];
  let layer: string[] = parent.subtask_id_list;
  while (layer.length) {
    const next: string[] = [];
    for (const id of layer) {
      const task = byId.get(id);
      if (!task) throw new Error(`Unable to retrieve subtask info! (${id})`);
      visited.push(`${task.action}:${task.result.status}`);
      next.push(...task.subtask_id_list);
      if (task.result.details.errorCount > 0) {
        for (const m of task.result.details.messageList ?? []) if (m.error === true) errors.push(m);
      }
    }
    layer = next;
  }
  return { visited, errors };
}
