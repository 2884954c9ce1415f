import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrydockClient, Json } from './drydock-client.ts';
import { startClientLab, type ClientLab } from './lab.ts';
import {
  configdocsValidations,
  createTask,
  fetchFailureDetails,
  fetchNoteLink,
  getSuccessesForTask,
  nodeLookupFilter,
  nodeNameFilter,
  preflightHealthy,
  queryTask,
  shipyardDrydockClient,
  validateDesignOperator,
  type ShipyardContext,
  type TaskNotes,
} from './shipyard.ts';

// Airship Shipyard's deploy_site against a fake-lab deploy, Drydock's side
// of it as Shipyard's operators do it (see shipyard.ts): preflight health,
// design validation (operator and configdocs), verify_site, prepare_site,
// then the deployment groups of drydock_nodes.py: each group's nodes looked
// up by node_labels, prepared and deployed by name, results read through
// every subtask, detail_logs links fetched as given. east-cmp02's deploy
// step fails (FAKE_LAB_FAIL), so the compute group is partly successful and
// Shipyard reads the failure details.

let lab: ClientLab;
let ctx: ShipyardContext;
let client: DrydockClient;

beforeAll(async () => {
  lab = await startClientLab({ agent: 'on', fail: 'east-cmp02:deploy' });
  ctx = {
    drydockEndpoint: `${lab.url}/api/v1.0`,
    deckhandEndpoint: lab.deckhand.endpoint,
    revisionId: 1,
    // Shipyard's service user; Drydock's default policy wants the admin role.
    svcToken: lab.keystone.issueUserToken({ userName: 'shipyard', roles: ['admin', 'service'] }),
    contextMarker: randomUUID(),
    user: 'operator@site',
  };
  client = shipyardDrydockClient(ctx);
});

afterAll(async () => {
  await lab?.stop();
});

describe("Shipyard's Drydock operators against a fake-lab deploy", { timeout: 120_000 }, () => {
  it('preflight: GET <endpoint>/health answers 204', async () => {
    expect(await preflightHealthy(ctx)).toBe(true);
  });

  it('validate design: the operator reads status Success of a deckhand+http design ref, fetched with a service token', async () => {
    expect(await validateDesignOperator(ctx)).toEqual({ status: 'Success', passed: true });
    expect(lab.deckhand.tokens.length).toBeGreaterThan(0);
    expect(lab.deckhand.tokens.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
  });

  it('configdocs validation: a broken revision is a 400 (not a failure to validate) with ValidationMessages Shipyard can pass on', async () => {
    const good = await configdocsValidations(ctx);
    expect([good.code, good.errorCount]).toEqual([200, 0]);
    const bad = await configdocsValidations({ ...ctx, revisionId: 2 });
    expect(bad.code).toBe(400);
    expect(bad.errorCount).toBeGreaterThan(0);
    for (const m of bad.messages) {
      expect(['Error', 'Warning', 'Info']).toContain(m.level);
      expect(typeof m.message).toBe('string');
      expect(typeof m.error).toBe('boolean');
      expect(Array.isArray(m.documents)).toBe(true);
      expect(Number.isNaN(Date.parse(m.ts))).toBe(false);
    }
    const duplicate = bad.messages.find((m: Json) => m.error && /10\.23\.20\.21/.test(m.message));
    expect(duplicate, JSON.stringify(bad.messages)).toMatchObject({ level: 'Error', name: expect.any(String) });
    expect(duplicate.documents.length).toBeGreaterThan(0);
    for (const d of duplicate.documents) expect(d).toEqual({ schema: expect.any(String), name: expect.any(String) });
  });

  it('verify_site and prepare_site: created, polled until complete, result success', async () => {
    for (const action of ['verify_site', 'prepare_site']) {
      const id = await createTask(client, ctx, action);
      expect(await queryTask(client, id)).toEqual({ status: 'complete', result: 'success' });
    }
  });

  it('drydock_nodes: groups by node_labels, prepared and deployed by name; successes, messages and detail_logs read as Shipyard reads them', async () => {
    const groups = [
      { name: 'control', selectors: [{ node_labels: ['role: control'] }] },
      // Shipyard's deployment groups OR a selector's labels (and Drydock too):
      // a node with either label is in the group.
      { name: 'compute', selectors: [{ node_labels: ['role: compute', 'rack: none'] }] },
    ];
    const deployed = new Set<string>();
    const notes: TaskNotes = { messages: [], links: [] };
    let lastTask = '';
    for (const group of groups) {
      // node_lookup.py: POST nodefilter with the group's selectors.
      const full: string[] = await client.get_nodes_for_filter(`deckhand+${ctx.deckhandEndpoint}/revisions/1/rendered-documents`, nodeLookupFilter(group.selectors));
      expect(full.sort(), group.name).toEqual(group.name === 'control' ? ['east-ctl01'] : ['east-cmp01', 'east-cmp02']);
      // drydock_nodes.py _execute_prepare, _execute_deployment (_execute_task: create, get_task, query_task, successes).
      lastTask = await createTask(client, ctx, 'prepare_nodes', nodeNameFilter(full));
      expect((await client.get_task(lastTask)).status).toBeDefined();
      await queryTask(client, lastTask);
      const prepared = await getSuccessesForTask(client, lastTask, notes);
      expect([...prepared].sort()).toEqual([...full].sort());
      lastTask = await createTask(client, ctx, 'deploy_nodes', nodeNameFilter([...prepared]));
      await queryTask(client, lastTask);
      for (const n of await getSuccessesForTask(client, lastTask, notes)) deployed.add(n);
    }
    expect([...deployed].sort()).toEqual(['east-cmp01', 'east-ctl01']);
    expect(notes.messages.some((m) => m.startsWith('node:east-cmp02:') && m.endsWith('(error)'))).toBe(true);

    // detail_logs of interrogate_node (lshw, lldp) and deploy_node (the install log), fetched as given.
    const detailLogs = notes.links.filter((l) => l.rel === 'detail_logs');
    expect(detailLogs.length).toBeGreaterThan(0);
    for (const link of detailLogs) {
      expect(link.href.startsWith(`${lab.url}/api/v1.0/tasks/`) && link.href.endsWith('/builddata')).toBe(true);
      const data = JSON.parse(await fetchNoteLink(link.href, ctx.svcToken)) as Json[];
      expect(data.length).toBeGreaterThan(0);
      for (const d of data) expect(d.task_id).toBe(link.subject);
    }
    const generators = new Set<string>();
    for (const link of detailLogs) for (const d of JSON.parse(await fetchNoteLink(link.href, ctx.svcToken)) as Json[]) generators.add(d.generator);
    // interrogate_node's lshw and lldp, and the deploy stage's installer log.
    expect([...generators].sort()).toEqual(expect.arrayContaining(['deploy:/tmp/install.log', 'lldp', 'lshw']));

    // A critical group that missed its criteria makes Shipyard read the failure details of its last task.
    const details = await fetchFailureDetails(client, lastTask);
    expect(details.visited.length).toBeGreaterThan(0);
    expect(details.errors.some((m: Json) => m.context === 'east-cmp02')).toBe(true);
  });

  it("status: get_nodes answers each machine's hostname, status_name and power_state", async () => {
    const nodes: Json[] = await client.get_nodes();
    const byName = Object.fromEntries(nodes.map((n) => [n.hostname, [n.status_name, n.power_state]]));
    expect(byName['east-ctl01']).toEqual(['Deployed', 'on']);
    expect(byName['east-cmp01']).toEqual(['Deployed', 'on']);
    expect(byName['east-cmp02']![0]).not.toBe('Deployed');
  });
});
