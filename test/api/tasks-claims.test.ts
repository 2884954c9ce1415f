import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { orchestratorFor } from '../../src/compose.ts';
import { openLibsqlDatabase } from '../../src/db/libsql.ts';
import { sha256Hex } from '../../src/core/digest.ts';
import { nodeClaims } from '../../src/db/schema/node-claims.ts';
import { tasks } from '../../src/db/schema/tasks.ts';
import type { Database } from '../../src/db/types.ts';
import { jsonOf, MIGRATIONS } from '../helpers/app.ts';
import { postYaml } from './design-fixtures.ts';
import { postTask, taskApp } from './tasks-fixtures.ts';

const SITE = fileURLToPath(new URL('../fixtures/designs/site.yaml', import.meta.url));
const ALL = ['east-cmp01', 'east-cmp02', 'east-ctl01'];
const only = (...names: string[]) => ({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: names }] });

type App = Awaited<ReturnType<typeof taskApp>>;

/** Stores the fixture site through the API; answers its design:// ref. */
async function storeSite(app: App['app']): Promise<string> {
  const res = await app.request('/api/v1.0/designs', postYaml(await readFile(SITE, 'utf8')));
  expect(res.status).toBe(201);
  return (await jsonOf(res)).href;
}

const create = async (app: App['app'], body: Record<string, unknown>) => app.request('/api/v1.0/tasks', postTask(body));

describe('one unfinished node task per node', () => {
  it('refuses a second deploy_nodes, prepare_nodes or destroy_nodes on a node another task works on, with 409 naming it', async () => {
    const { app, db } = await taskApp();
    const ref = await storeSite(app);
    const first = await create(app, { action: 'deploy_nodes', design_ref: ref });
    expect(first.status).toBe(201);
    const firstId = (await jsonOf(first)).task_id;
    for (const action of ['deploy_nodes', 'prepare_nodes', 'destroy_nodes']) {
      const res = await create(app, { action, design_ref: ref, node_filter: only('east-cmp02') });
      expect(res.status, action).toBe(409);
      const body = await jsonOf(res);
      expect(body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Conflict', code: 409 });
      expect(body.message).toContain(`Task ${firstId} (deploy_nodes) is working on node(s) east-cmp02`);
      expect(body.message).toContain(`/api/v1.0/tasks/${firstId}/terminate`);
      expect(body.details.messageList).toEqual([
        expect.objectContaining({ node: 'east-cmp02', task_id: firstId, error: true }),
      ]);
    }
    // Nothing of the refused tasks was written.
    expect((await db.select().from(tasks)).map((t) => t.taskId)).toEqual([firstId]);
    const claims = await db.select().from(nodeClaims);
    expect(claims.map((c) => c.nodeName).sort()).toEqual(ALL);
    expect(new Set(claims.map((c) => c.taskId))).toEqual(new Set([firstId]));
  });

  it('logs one structured line per created task, with its id, action and node count', async () => {
    const { app, logs } = await taskApp();
    const ref = await storeSite(app);
    const id = (await jsonOf(await create(app, { action: 'deploy_nodes', design_ref: ref, node_filter: only('east-cmp01', 'east-cmp02') }))).task_id;
    const other = (await jsonOf(await create(app, { action: 'verify_site', design_ref: ref }))).task_id;
    const created = logs.filter((l) => l.record['msg'] === 'task created');
    expect(created.map((l) => l.record)).toEqual([
      expect.objectContaining({ level: 'info', task_id: id, action: 'deploy_nodes', nodes: 2 }),
      expect.objectContaining({ level: 'info', task_id: other, action: 'verify_site', nodes: null }),
    ]);
  });

  it('accepts node tasks on other nodes, and tasks that only read nodes', async () => {
    const { app } = await taskApp();
    const ref = await storeSite(app);
    expect((await create(app, { action: 'deploy_nodes', design_ref: ref, node_filter: only('east-ctl01') })).status).toBe(201);
    expect((await create(app, { action: 'prepare_nodes', design_ref: ref, node_filter: only('east-cmp01') })).status).toBe(201);
    for (const action of ['verify_nodes', 'validate_design', 'relabel_nodes']) {
      expect((await create(app, { action, design_ref: ref }))?.status, action).toBe(201);
    }
  });

  it('frees the nodes when the task ends, so the next deploy may start', async () => {
    const { app, db, services } = await taskApp();
    const ref = await storeSite(app);
    const first = (await jsonOf(await create(app, { action: 'destroy_nodes', design_ref: ref }))).task_id;
    expect((await create(app, { action: 'deploy_nodes', design_ref: ref })).status).toBe(409);
    const orchestrator = orchestratorFor(services, 'test');
    // FAKE_LAB_STEP_MS has not passed on the fixed clock: the task waits; terminate it.
    await orchestrator.advance(first);
    expect((await app.request(`/api/v1.0/tasks/${first}/terminate`, postTask({}))).status).toBe(202);
    expect((await orchestrator.advance(first)).outcome).toBe('stepped');
    expect(await db.select().from(nodeClaims)).toEqual([]);
    expect((await create(app, { action: 'deploy_nodes', design_ref: ref })).status).toBe(201);
  });

  it('takes over the claims of a task that ended without releasing them', async () => {
    const { app, db } = await taskApp();
    const ref = await storeSite(app);
    const old = (await jsonOf(await create(app, { action: 'deploy_nodes', design_ref: ref }))).task_id;
    await db.update(tasks).set({ status: 'complete' }).where(eq(tasks.taskId, old));
    const res = await create(app, { action: 'deploy_nodes', design_ref: ref });
    expect(res.status).toBe(201);
    const id = (await jsonOf(res)).task_id;
    expect(new Set((await db.select().from(nodeClaims)).map((c) => c.taskId))).toEqual(new Set([id]));
  });

  it('creates a node task whose design does not load without claims; it fails at its first step as before', async () => {
    const { app, db } = await taskApp();
    const res = await create(app, { action: 'deploy_nodes', design_ref: 'design://does-not-exist' });
    expect(res.status).toBe(201);
    expect(await db.select().from(nodeClaims)).toEqual([]);
  });

  describe('two instances on one database file', () => {
    let dir = '';
    const opened: Database[] = [];
    afterAll(async () => {
      await Promise.all(opened.map((d) => d.close()));
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('let exactly one of two deploys created at once on the same node through', async () => {
      dir = await mkdtemp(join(tmpdir(), 'drydock-claims-'));
      const url = `file:${join(dir, 'd.db')}`;
      const open = async () => {
        const database = await openLibsqlDatabase({ url, busyTimeoutMs: 5000, migrationsFolder: MIGRATIONS });
        opened.push(database);
        return taskApp({ database });
      };
      const a = await open();
      const b = await open();
      const ref = await storeSite(a.app);
      for (let round = 0; round < 5; round++) {
        const filter = only(ALL[round % 3]!);
        const answers = await Promise.all([
          create(a.app, { action: 'deploy_nodes', design_ref: ref, node_filter: filter }),
          create(b.app, { action: 'destroy_nodes', design_ref: ref, node_filter: filter }),
        ]);
        expect(answers.map((r) => r.status).sort(), `round ${round}`).toEqual(round < 3 ? [201, 409] : [409, 409]);
      }
      expect(await a.db.select().from(tasks)).toHaveLength(3);
      expect(await a.db.select().from(nodeClaims)).toHaveLength(3);
    });
  });

  it('pins the design it claims on at creation: an edit before the first step changes neither its content nor its claims', async () => {
    const built = await taskApp();
    const v1 = await readFile(SITE, 'utf8');
    const state = { text: v1, fetches: 0 };
    built.services.siteDesign.source = {
      resolve: async (ref) => {
        state.fetches++;
        return { text: state.text, contentType: 'application/yaml', ref };
      },
    };
    const ref = 'https://designs.example/site.yaml';
    const res = await create(built.app, { action: 'deploy_nodes', design_ref: ref });
    expect(res.status).toBe(201);
    const body = await jsonOf(res);
    expect(body.design_content_hash).toBe(await sha256Hex(v1));

    // Before its first step the document renames east-cmp02: the task still works on what it claimed.
    state.text = v1.replaceAll('east-cmp02', 'east-cmp09');
    const orchestrator = orchestratorFor(built.services, 'test');
    for (let i = 0; i < 3; i++) await orchestrator.advance(body.task_id);
    const [row] = await built.db.select().from(tasks).where(eq(tasks.taskId, body.task_id));
    expect([row?.designContentHash, state.fetches]).toEqual([await sha256Hex(v1), 1]);
    const claimed = await built.db.select().from(nodeClaims).where(eq(nodeClaims.taskId, body.task_id));
    expect(claimed.map((c) => c.nodeName).sort()).toEqual(ALL);
    expect((await create(built.app, { action: 'deploy_nodes', design_ref: ref, node_filter: only('east-cmp01') })).status).toBe(409);
    expect((await create(built.app, { action: 'deploy_nodes', design_ref: ref, node_filter: only('east-cmp09') })).status).toBe(201);
  });
});
