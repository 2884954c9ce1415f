/**
 * The shared security checks of every Keystone-guarded route. Which routes
 * need no token at all is test/app/route-walk.test.ts's business.
 */
import { describe, expect, it } from 'vitest';
import { fakeLabMachines } from '../../src/db/schema/fakelab.ts';
import type { Db } from '../../src/db/types.ts';
import { PUBLIC_ROUTES } from '../app/public-routes.ts';
import { buildTestApp, jsonOf } from '../helpers/app.ts';
import { coveredRoutes, runCommonRouteTests, type RouteSetup } from '../helpers/route-security.ts';
import { mountedRoutes } from '../helpers/route-walk.ts';
import { smallSite } from './design-fixtures.ts';
import { seedBuildData, seedTask } from './tasks-fixtures.ts';

const API = '/api/v1.0';
const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

/** Stores the small site as the administrator; answers its design_ref. */
async function storedDesign({ app, headers }: RouteSetup) {
  const res = await app.request(`${API}/designs`, {
    method: 'POST',
    body: smallSite().yaml,
    headers: { ...headers, 'Content-Type': 'application/x-yaml' },
  });
  const body = await jsonOf(res);
  return { id: body.design_id as string, ref: body.href as string };
}

async function labMachine(db: Db, nodeName: string): Promise<void> {
  await db.insert(fakeLabMachines).values({
    nodeName,
    status: 'Ready',
    powerState: 'off',
    memoryMb: 1024,
    cpuCount: 2,
    bootMac: '52:54:00:00:00:09',
    powerAddress: null,
    bootIp: null,
    updated: new Date(),
  });
}

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/health/extended',
  rules: ['physical_provisioner:health_data'],
  request: () => ({ path: `${API}/health/extended` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'POST',
  route: '/api/v1.0/validatedesign',
  rules: ['physical_provisioner:validate_site_design'],
  setup: storedDesign,
  request: ({ ref }) => ({ path: `${API}/validatedesign`, init: json({ rel: 'design', href: ref, type: 'application/x-yaml' }) }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'POST',
  route: '/api/v1.0/agents',
  rules: ['physical_provisioner:manage_agents'],
  request: () => ({ path: `${API}/agents`, init: json({ name: 'east-lab-1', site: 'east-lab' }) }),
  expectStatus: 201,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/agents',
  rules: ['physical_provisioner:manage_agents'],
  request: () => ({ path: `${API}/agents` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'DELETE',
  route: '/api/v1.0/agents/{id}',
  rules: ['physical_provisioner:manage_agents'],
  setup: async ({ app, headers }) => {
    const res = await app.request(`${API}/agents`, { ...json({ name: 'a1', site: 's1' }), headers: { ...headers, 'Content-Type': 'application/json' } });
    return (await jsonOf(res)).agent_id as string;
  },
  request: (id) => ({ path: `${API}/agents/${id}` }),
  expectStatus: 204,
});

runCommonRouteTests({
  method: 'POST',
  route: '/api/v1.0/nodefilter',
  rules: ['physical_provisioner:read_data'],
  setup: storedDesign,
  request: ({ ref }) => ({ path: `${API}/nodefilter`, init: json({ design_ref: ref }) }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'POST',
  route: '/api/v1.0/designs',
  rules: ['physical_provisioner:ingest_data'],
  request: () => ({
    path: `${API}/designs`,
    init: { body: smallSite().yaml, headers: { 'Content-Type': 'application/x-yaml' } },
  }),
  expectStatus: 201,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/designs',
  rules: ['physical_provisioner:read_data'],
  request: () => ({ path: `${API}/designs` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/designs/{id}',
  rules: ['physical_provisioner:read_data'],
  setup: storedDesign,
  request: ({ id }) => ({ path: `${API}/designs/${id}` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'POST',
  route: '/api/v1.0/tasks',
  rules: ['physical_provisioner:create_task', 'physical_provisioner:validate_design'],
  setup: storedDesign,
  request: ({ ref }) => ({ path: `${API}/tasks`, init: json({ action: 'validate_design', design_ref: ref }) }),
  expectStatus: 201,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/tasks',
  rules: ['physical_provisioner:read_task'],
  request: () => ({ path: `${API}/tasks` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'DELETE',
  route: '/api/v1.0/tasks',
  rules: ['physical_provisioner:delete_tasks'],
  request: () => ({ path: `${API}/tasks?days=90` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/tasks/{id}',
  rules: ['physical_provisioner:read_task'],
  setup: ({ db }) => seedTask(db),
  request: (id) => ({ path: `${API}/tasks/${id}` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'POST',
  route: '/api/v1.0/tasks/{id}/terminate',
  rules: ['physical_provisioner:deploy_nodes'],
  setup: ({ db }) => seedTask(db, { status: 'running', action: 'deploy_nodes' }),
  request: (id) => ({ path: `${API}/tasks/${id}/terminate` }),
  expectStatus: 202,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/tasks/{id}/builddata',
  rules: ['physical_provisioner:read_build_data'],
  setup: async ({ db }) => {
    const id = await seedTask(db);
    await seedBuildData(db, { nodeName: 'n1', taskId: id, generator: 'lshw', collectedDate: new Date() });
    return id;
  },
  request: (id) => ({ path: `${API}/tasks/${id}/builddata` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/tasks/{id}/events',
  rules: ['physical_provisioner:read_task'],
  // A final task: the stream sends `end` and closes.
  setup: ({ db }) => seedTask(db),
  request: (id) => ({ path: `${API}/tasks/${id}/events` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/nodes',
  rules: ['physical_provisioner:read_data'],
  request: () => ({ path: `${API}/nodes` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/nodes/{hostname}',
  rules: ['physical_provisioner:read_data'],
  setup: ({ db }) => labMachine(db, 'lab01'),
  request: () => ({ path: `${API}/nodes/lab01` }),
  expectStatus: 200,
});

runCommonRouteTests({
  method: 'GET',
  route: '/api/v1.0/nodes/{hostname}/builddata',
  rules: ['physical_provisioner:read_build_data'],
  setup: async ({ db }) => {
    const id = await seedTask(db);
    await seedBuildData(db, { nodeName: 'n1', taskId: id, generator: 'lshw', collectedDate: new Date() });
  },
  request: () => ({ path: `${API}/nodes/n1/builddata` }),
  expectStatus: 200,
});

describe('the shared security checks', () => {
  it('cover every route the app mounts that PUBLIC_ROUTES does not list', async () => {
    const { app } = await buildTestApp();
    // The web view's pages answer a sign-in redirect, not the API's envelope: test/ui checks them.
    const guarded = mountedRoutes(app)
      .filter((r) => !r.path.startsWith('/ui'))
      .filter((r) => !PUBLIC_ROUTES.some((p) => p.method === r.method && p.path === r.path))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    expect([...coveredRoutes].sort()).toEqual(guarded.sort());
  });
});
