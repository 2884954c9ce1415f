import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrydockClient, DrydockSession, type Json } from './drydock-client.ts';
import { pollUntil, startClientLab, type ClientLab } from './lab.ts';
import type { PyValue } from './python-requests.ts';

// Drydock's CLI (python/drydock_provisioner/cli/, airshipit/drydock) through
// a fake-lab deploy: each command as commands.py parses it and its action
// (task/actions.py, node/actions.py) calls the client, reading what the
// command prints. The CLI's root group registers only `task` and `node`:
// its `design` and `part` modules are not wired in and call client methods
// (create_design, load_parts) that client.py no longer has, so a design
// reaches Drydock as a design_ref (`--design-ref`), here an http:// URL.

let lab: ClientLab;
let client: DrydockClient;
let designRef: string;

beforeAll(async () => {
  lab = await startClientLab({ agent: 'on' });
  designRef = lab.deckhand.plainUrl;
  // commands.py drydock(): --url/DD_URL parsed for scheme, host and port; a
  // Keystone session's auth headers (--os_token) as auth_gen.
  const url = new URL(lab.url);
  client = new DrydockClient(
    new DrydockSession({ scheme: url.protocol.slice(0, -1), host: url.hostname, port: Number(url.port), authGen: () => [['X-Auth-Token', lab.adminToken]] }),
  );
});

afterAll(async () => {
  await lab?.stop();
});

/** The comma-separated option as task/commands.py task_create splits it; absent is []. */
const optionList = (value?: string) => (value ? value.split(',').map((x) => x.trim()) : []);

/**
 * task/actions.py TaskCreate.__init__: a filter only when some list is
 * non-empty; node_names and rack_names always go in (even empty), and
 * node_tags never does (its test reads `is None`, and the CLI passes []).
 */
function cliNodeFilter(nodeNames: string[], rackNames: string[], nodeTags: string[]): PyValue {
  if (!(nodeNames.length || rackNames.length || nodeTags.length)) return null;
  const items: Record<string, PyValue> = { filter_type: 'union', node_names: nodeNames, rack_names: rackNames };
  return { filter_set_type: 'intersection', filter_set: [items] };
}

/** `drydock task create -d <ref> -a <action> [-n …] [-r …] [-t …]`: prints the created task. */
function taskCreate(action: string, opts: { n?: string; r?: string; t?: string } = {}): Promise<Json> {
  return client.create_task(designRef, action, cliNodeFilter(optionList(opts.n), optionList(opts.r), optionList(opts.t)));
}

/** `drydock task show -t <id>`, repeated until complete (what --block means to do). */
function taskShowUntilComplete(taskId: string): Promise<Json> {
  return pollUntil(() => client.get_task(taskId), (t: Json) => t.status === 'complete', `task ${taskId}`);
}

describe("Drydock's CLI against a fake-lab deploy", { timeout: 120_000 }, () => {
  it('task create -a prepare_nodes -n <two nodes>: the intersection/union filter with an empty rack_names selects those nodes', async () => {
    const created = await taskCreate('prepare_nodes', { n: 'east-ctl01, east-cmp01' });
    expect(created).toMatchObject({ action: 'prepare_nodes', task_id: expect.any(String), design_ref: designRef });
    const done = await taskShowUntilComplete(created.task_id);
    expect([done.result.status, [...done.result.successes].sort()]).toEqual(['success', ['east-cmp01', 'east-ctl01']]);
  });

  it('task create -a prepare_nodes -r rack02 selects the rack with an empty node_names', async () => {
    const done = await taskShowUntilComplete((await taskCreate('prepare_nodes', { r: 'rack02' })).task_id);
    expect([done.result.status, done.result.successes]).toEqual(['success', ['east-cmp02']]);
  });

  it('task create -a deploy_nodes without a filter deploys every node', async () => {
    const done = await taskShowUntilComplete((await taskCreate('deploy_nodes')).task_id);
    expect([done.result.status, [...done.result.successes].sort(), done.result.failures]).toEqual(['success', ['east-cmp01', 'east-cmp02', 'east-ctl01'], []]);
  });

  it('task list and task builddata -t <id>: the tasks, and a task build data list the CLI dumps as YAML', async () => {
    const tasks: Json[] = await client.get_tasks();
    expect(tasks.filter((t) => t.parent_task_id === null).map((t) => t.action)).toEqual(['deploy_nodes', 'prepare_nodes', 'prepare_nodes']);
    const interrogate = tasks.find((t) => t.action === 'interrogate_node');
    const data: Json[] = await client.get_task_build_data(interrogate.task_id);
    for (const d of data) expect(Object.keys(d).sort()).toEqual(['collected_date', 'data_element', 'data_format', 'generator', 'node_name', 'task_id']);
  });

  it("node list: every column of the CLI's table is there for every machine", async () => {
    const nodes: Json[] = await client.get_nodes();
    expect(nodes.length).toBe(3);
    for (const n of nodes) {
      // node/commands.py node_list reads each with n['…'] (a missing one is a KeyError).
      for (const key of ['hostname', 'status_name', 'cpu_count', 'memory', 'boot_mac', 'boot_ip', 'power_address', 'power_state']) {
        expect(n, `${n.hostname} ${key}`).toHaveProperty(key);
      }
      expect(n.status_name).toBe('Deployed');
    }
  });

  it('node builddata <name> (latest by default) and --no-latest', async () => {
    const latest: Json[] = await client.get_node_build_data('east-cmp02', true);
    const all: Json[] = await client.get_node_build_data('east-cmp02', false);
    // One record per generator with latest=True; every record without it.
    expect(latest.map((d) => d.generator).sort()).toEqual([...new Set(all.map((d) => d.generator))].sort());
    expect(latest.map((d) => d.generator)).toEqual(expect.arrayContaining(['lshw', 'lldp']));
  });

  it('task delete -d 30 sends the days as typed and prints its line', async () => {
    expect(await client.delete_tasks('30')).toBe('Task table purged successfully.');
  });
});
