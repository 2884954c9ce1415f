import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { orchestratorFor } from '../../src/compose.ts';
import { driverCalls } from '../../src/db/schema/agents.ts';
import { tasks } from '../../src/db/schema/tasks.ts';
import { LIVE_STATUSES } from '../../src/orchestrator/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { postYaml } from './design-fixtures.ts';
import { auth, postTask, taskApp } from './tasks-fixtures.ts';

// With DRIVER_LOCATION=agent a task's driver steps wait on driver_calls rows
// for the design's site; here the test plays the agent API by writing each
// call's result, and the task says once that the site has no agent.

const SITE = fileURLToPath(new URL('../fixtures/designs/site.yaml', import.meta.url));

describe('a task whose driver calls run at the site agent', () => {
  it('waits for the site\'s agent, says so once, and completes with the results the agent posted', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const built = await taskApp({ env: { DRIVER_LOCATION: 'agent', NODE_DRIVER: 'maas', TASK_POLL_INTERVAL_SECONDS: '1' }, clock: () => new Date(now) });
    const stored = await built.app.request('/api/v1.0/designs', postYaml(await readFile(SITE, 'utf8')));
    const created = await built.app.request('/api/v1.0/tasks', postTask({ action: 'prepare_site', design_ref: (await jsonOf(stored)).href }));
    const id = (await jsonOf(created)).task_id as string;
    const orchestrator = orchestratorFor(built.services, 'test');
    const settle = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        now += 1_000;
        const live = await built.db.select({ id: tasks.taskId }).from(tasks).where(inArray(tasks.status, [...LIVE_STATUSES]));
        for (const t of live) await orchestrator.advance(t.id);
      }
    };
    await settle(5);
    const calls = await built.db.select().from(driverCalls);
    expect(calls.map((c) => [c.site, c.action, c.driver, c.state])).toEqual([['east-lab', 'create_network_template', 'node', 'queued']]);
    const view = await (await built.app.request(`/api/v1.0/tasks/${id}?subtaskerrors=true&layers=-1`, auth())).text();
    const waits = view.match(/waiting for an agent of site east-lab since [^"]*; no agent of it was ever seen/g) ?? [];
    expect(waits).toHaveLength(1);

    // The agent posts each site step's result as it is queued.
    for (const action of ['create_network_template', 'configure_user_credentials', 'configure_node_provisioner']) {
      const where = and(eq(driverCalls.action, action), eq(driverCalls.state, 'queued'));
      await built.db.update(driverCalls).set({ state: 'done', result: { state: 'done', detail: `${action} at the site` } }).where(where);
      await settle(4);
    }
    const task = await jsonOf(await built.app.request(`/api/v1.0/tasks/${id}`, auth()));
    expect([task.status, task.result.status]).toEqual(['complete', 'success']);
    const done = await (await built.app.request(`/api/v1.0/tasks/${id}?subtaskerrors=true&layers=-1`, auth())).text();
    expect(done).toContain('create_network_template succeeded: create_network_template at the site');
  });
});
