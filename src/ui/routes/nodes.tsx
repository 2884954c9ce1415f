/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ApiError } from '../../core/errors.ts';
import { authorize } from '../../http/authorize.ts';
import type { AppEnv } from '../../http/env.ts';
import { nodeBootActions } from '../../services/bootactions/status.ts';
import { lastTaskPerNode } from '../../services/node-activity.ts';
import { getMachine, listMachines, nodeBuildData } from '../../services/nodes.ts';
import { NodePage } from '../pages/node.tsx';
import { NodesPage } from '../pages/nodes.tsx';
import { page } from '../render.ts';
import { csrfOf } from '../session.ts';

/**
 * As GET /nodes: read_data. A node's last task and boot actions need
 * read_task, its build data read_build_data (as GET /nodes/{n}/builddata);
 * a section the user may not read is left out rather than the page refused.
 */
export const nodePages = new Hono<AppEnv>();

function may(c: Context<AppEnv>, rule: string): boolean {
  const principal = c.get('principal');
  return principal !== null && c.get('services').policy.authorize(rule, principal);
}

/** 404 (no records) as an empty list. */
async function orEmpty<T>(read: Promise<T[]>): Promise<T[]> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return [];
    throw err;
  }
}

nodePages.get('/nodes', async (c) => {
  const principal = await authorize(c, 'physical_provisioner:read_data');
  const ctx = c.get('ctx');
  const known = await listMachines(ctx);
  const lastTasks = may(c, 'physical_provisioner:read_task') ? await lastTaskPerNode(ctx) : null;
  return page(c, <NodesPage user={principal.user} csrf={csrfOf(c)} machines={known.value} reportedAt={known.reportedAt} lastTasks={lastTasks} />);
});

nodePages.get('/nodes/:hostname', async (c) => {
  const principal = await authorize(c, 'physical_provisioner:read_data');
  const ctx = c.get('ctx');
  const hostname = c.req.param('hostname');
  let machine = null;
  try {
    machine = (await getMachine(ctx, hostname)).value;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  const readTasks = may(c, 'physical_provisioner:read_task');
  const props = {
    user: principal.user,
    csrf: csrfOf(c),
    hostname,
    machine,
    lastTask: readTasks ? (await lastTaskPerNode(ctx, hostname)).get(hostname) : null,
    bootActions: readTasks ? await nodeBootActions(ctx, hostname) : null,
    buildData: may(c, 'physical_provisioner:read_build_data') ? await orEmpty(nodeBuildData(ctx, hostname, true)) : null,
  };
  return page(c, <NodePage {...props} />);
});
