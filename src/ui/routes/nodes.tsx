/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import { authorize } from '../../http/authorize.ts';
import { listMachines } from '../../services/nodes.ts';
import { NodesPage } from '../pages/nodes.tsx';
import { page } from '../render.ts';
import { csrfOf } from '../session.ts';

/** As GET /nodes: read_data. */
export const nodePages = new Hono<AppEnv>();

nodePages.get('/nodes', async (c) => {
  const principal = await authorize(c, 'physical_provisioner:read_data');
  const known = await listMachines(c.get('ctx'));
  return page(c, <NodesPage user={principal.user} csrf={csrfOf(c)} machines={known.value} reportedAt={known.reportedAt} />);
});
