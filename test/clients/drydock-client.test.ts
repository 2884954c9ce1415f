import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError, DrydockClient, DrydockSession, type Json } from './drydock-client.ts';
import { pollUntil, startClientLab, type ClientLab } from './lab.ts';

// Drydock's Python client (python/drydock_provisioner/drydock_client/,
// airshipit/drydock) through a whole fake-lab deploy: every call of
// client.py, in the order an operator's script makes them, over
// session.py's session, reading the fields the client's callers read.

let lab: ClientLab;
let client: DrydockClient;
let designRef: string;

beforeAll(async () => {
  lab = await startClientLab({ agent: 'on' });
  // A design_ref as Drydock takes it: here the plain http:// form.
  designRef = lab.deckhand.plainUrl;
  client = new DrydockClient(
    new DrydockSession({
      host: lab.host,
      port: lab.port,
      authGen: () => [['X-Auth-Token', lab.adminToken]],
      marker: '3d8f6c52-1b0a-4c1e-9a57-52d1c2c1b0aa',
      endUser: 'operator',
    }),
  );
});

afterAll(async () => {
  await lab?.stop();
});

/** Polls get_task until `complete`, as the CLI's TaskCreate(block=True) and Shipyard's query_task do. */
function untilComplete(taskId: string): Promise<Json> {
  return pollUntil(() => client.get_task(taskId), (t) => t.status === 'complete', `task ${taskId}`);
}

describe("Drydock's Python client against a fake-lab deploy", { timeout: 120_000 }, () => {
  it('validate_design sends only {"href"} and reads a Success status', async () => {
    // as client.py validate_design: body {'href': href}, no rel or type.
    const result = await client.validate_design(designRef);
    expect(result.status).toBe('Success');
    expect(result.details.errorCount).toBe(0);
  });

  it('get_nodes_for_filter with node_filter None lists every node of the design', async () => {
    // as client.py get_nodes_for_filter: {'node_filter': None, 'design_ref': ...}
    const names = await client.get_nodes_for_filter(designRef);
    expect([...names].sort()).toEqual(['east-cmp01', 'east-cmp02', 'east-ctl01']);
  });

  it('create_task with node_filter None, then get_task until complete, for prepare_site, prepare_nodes, deploy_nodes', async () => {
    for (const action of ['prepare_site', 'prepare_nodes', 'deploy_nodes']) {
      // as client.py create_task: {'action', 'design_ref', 'node_filter': None}
      const created = await client.create_task(designRef, action);
      expect(created.task_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.action).toBe(action);
      const done = await untilComplete(created.task_id);
      expect([action, done.result.status, done.result.failures]).toEqual([action, 'success', []]);
      if (action !== 'prepare_site') expect([...done.result.successes].sort()).toEqual(['east-cmp01', 'east-cmp02', 'east-ctl01']);
    }
  });

  it("create_task deploy_nodes with the node_filter Shipyard's deployment groups build: node_labels, empty lists", async () => {
    // node_lookup.py _generate_node_filter's shape, handed to create_task.
    const filter = {
      filter_set_type: 'union',
      filter_set: [{ filter_type: 'intersection', node_names: [], node_tags: [], node_labels: { role: 'compute' }, rack_names: [] }],
    };
    const created = await client.create_task(designRef, 'deploy_nodes', filter);
    const done = await untilComplete(created.task_id);
    expect([done.result.status, [...done.result.successes].sort()]).toEqual(['success', ['east-cmp01', 'east-cmp02']]);
  });

  it('get_task with layers=-1, builddata and subtaskerrors answers the task with its subtasks, build data and errors', async () => {
    const tasks: Json[] = await client.get_tasks();
    const deploy = tasks.find((t) => t.action === 'deploy_nodes' && t.parent_task_id === null);
    expect(deploy).toBeDefined();
    // as client.py get_task(layers=-1): `?layers=-1`; the answer is Drydock's
    // handle_layers dict, {init_task_id, <task id>: task, ...} over every layer.
    const layered = await client.get_task(deploy.task_id, { layers: -1 });
    expect(layered.init_task_id).toBe(deploy.task_id);
    const queue: string[] = [deploy.task_id];
    let seen = 0;
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      expect(layered[id].task_id).toBe(id);
      queue.push(...layered[id].subtask_id_list);
      seen++;
    }
    expect(seen).toBe(Object.keys(layered).length - 1);
    expect(seen).toBeGreaterThan(1);
    const withData = await client.get_task(deploy.task_id, { builddata: true });
    expect(Array.isArray(withData.build_data)).toBe(true);
    const withErrors = await client.get_task(deploy.task_id, { subtaskerrors: true });
    expect(withErrors.subtask_errors).toEqual({});
  });

  it('get_task_build_data and get_node_build_data(latest=True) read the collected build data', async () => {
    const tasks: Json[] = await client.get_tasks();
    const interrogate = tasks.find((t) => t.action === 'interrogate_node');
    expect(interrogate).toBeDefined();
    const taskData: Json[] = await client.get_task_build_data(interrogate.task_id);
    expect(taskData.map((d) => d.generator)).toEqual(expect.arrayContaining(['lshw', 'lldp']));
    // as client.py get_node_build_data: the endpoint ends `?latest=True` (Python's str of a bool).
    const nodeData: Json[] = await client.get_node_build_data('east-ctl01', true);
    expect(nodeData.length).toBeGreaterThan(0);
    for (const d of nodeData) {
      expect(d).toMatchObject({ node_name: 'east-ctl01', generator: expect.any(String), data_format: expect.any(String), data_element: expect.any(String) });
    }
    const generators = nodeData.map((d) => d.generator);
    expect(new Set(generators).size).toBe(generators.length);
  });

  it("get_tasks: every task has the keys of Drydock's Task.to_dict, its result those of TaskStatus.to_dict", async () => {
    const tasks: Json[] = await client.get_tasks();
    const taskKeys = ['kind', 'apiVersion', 'task_id', 'action', 'parent_task_id', 'design_ref', 'status', 'result', 'node_filter', 'subtask_id_list', 'created', 'created_by', 'updated', 'terminated', 'terminated_by', 'terminate', 'retry'];
    const resultKeys = ['kind', 'apiVersion', 'metadata', 'message', 'reason', 'status', 'successes', 'failures', 'links', 'details'];
    const messageKeys = ['message', 'error', 'context_type', 'context', 'ts', 'extra'];
    for (const t of tasks) {
      expect(Object.keys(t), t.action).toEqual(expect.arrayContaining(taskKeys));
      expect(Object.keys(t.result), t.action).toEqual(expect.arrayContaining(resultKeys));
      expect(Object.keys(t.result.details).sort()).toEqual(['errorCount', 'messageList']);
      for (const m of t.result.details.messageList) expect(Object.keys(m), t.action).toEqual(expect.arrayContaining(messageKeys));
    }
  });

  it('get_nodes lists the deployed machines', async () => {
    const nodes: Json[] = await client.get_nodes();
    expect(nodes.map((n) => [n.hostname, n.status_name]).sort()).toEqual([
      ['east-cmp01', 'Deployed'],
      ['east-cmp02', 'Deployed'],
      ['east-ctl01', 'Deployed'],
    ]);
  });

  it('a 401 makes the session fetch new auth headers and retry once, as session.py does', async () => {
    let calls = 0;
    const retrying = new DrydockClient(
      new DrydockSession({
        host: lab.host,
        port: lab.port,
        authGen: () => [['X-Auth-Token', calls++ === 0 ? 'expired-token' : lab.adminToken]],
      }),
    );
    const nodes: Json[] = await retrying.get_nodes();
    expect(nodes.length).toBe(3);
    expect(retrying.session.sent.map((s) => s.status)).toEqual([401, 200]);
  });

  it('an error answer raises ClientError with its status code, as _check_response does', async () => {
    const err = await client.create_task(designRef, 'no_such_action').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect((err as ClientError).statusCode).toBe(400);
    const forbidden = new DrydockClient(
      new DrydockSession({ host: lab.host, port: lab.port, authGen: () => [['X-Auth-Token', lab.keystone.issueUserToken({ roles: ['member'] })]] }),
    );
    const denied = await forbidden.get_nodes().catch((e: unknown) => e);
    expect((denied as ClientError).kind).toBe('ClientForbiddenError');
  });

  it('delete_tasks with and without days (the client then sends days=None)', async () => {
    expect(await client.delete_tasks(30)).toBe('Task table purged successfully.');
    expect(await client.delete_tasks()).toBe('Task table purged successfully.');
    // Nothing was 30 days old: the tasks are all still there.
    expect((await client.get_tasks()).length).toBeGreaterThan(0);
  });
});
