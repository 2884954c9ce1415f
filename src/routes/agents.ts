/**
 * Site agents (docs/site-agent.md). Admins create, list and revoke agents
 * under physical_provisioner:manage_agents; the agents themselves call with
 * `Authorization: Bearer <agent token>` (not a Keystone token), so their
 * routes are mounted without requirePolicy and authenticate the token first,
 * before reading the body: a bad body is a 400 only for a known agent.
 */
import { Hono, type Context } from 'hono';
import { API_PREFIX } from '../core/app-paths.ts';
import { ApiError } from '../core/errors.ts';
import { clientAddress } from '../http/client-address.ts';
import type { AppEnv } from '../http/env.ts';
import { CONTENT_HASH, HeartbeatBody, leaseBody, NewAgentBody, RenewBody, ResultBody } from '../http/schemas/agents.ts';
import { InventoryBody } from '../http/schemas/inventory.ts';
import { validJson } from '../http/validate.ts';
import { requirePolicy } from '../middleware/policy.ts';
import {
  agentDesign,
  authenticateAgent,
  createAgent,
  heartbeat,
  leaseCalls,
  listAgents,
  postResult,
  renewLease,
  revokeAgent,
  storeInventory,
  type AuthenticatedAgent,
} from '../services/agents/index.ts';

export const agentRoutes = new Hono<AppEnv>();

const MANAGE = 'physical_provisioner:manage_agents';

agentRoutes.post('/agents', requirePolicy(MANAGE), async (c) => {
  const ctx = c.get('ctx');
  const body = await validJson(c, NewAgentBody);
  const created = await createAgent(ctx, body);
  ctx.log.info('agent created', { agent_id: created.agent_id, name: created.name, site: created.site });
  return c.json(created, 201, { Location: `${API_PREFIX}/agents/${created.agent_id}`, 'Cache-Control': 'no-store' });
});

agentRoutes.get('/agents', requirePolicy(MANAGE), async (c) => c.json(await listAgents(c.get('ctx'))));

agentRoutes.delete('/agents/:id', requirePolicy(MANAGE), async (c) => {
  const ctx = c.get('ctx');
  await revokeAgent(ctx, c.req.param('id'));
  ctx.log.info('agent revoked', { agent_id: c.req.param('id').slice(0, 64) });
  return c.body(null, 204);
});

/** The agent whose Bearer token the request carries (401/429 otherwise). */
function agentOf(c: Context<AppEnv>): Promise<AuthenticatedAgent> {
  const ctx = c.get('ctx');
  const client = clientAddress(c, ctx.config.BOOTACTION_CLIENT_ADDRESS_HEADER);
  return authenticateAgent(ctx, { authorization: c.req.header('Authorization'), client });
}

agentRoutes.post('/agents/heartbeat', async (c) => {
  const agent = await agentOf(c);
  const report = await validJson(c, HeartbeatBody);
  return c.json(await heartbeat(c.get('ctx'), agent, report));
});

agentRoutes.post('/agents/inventory', async (c) => {
  const agent = await agentOf(c);
  const inventory = await validJson(c, InventoryBody);
  return c.json(await storeInventory(c.get('ctx'), agent, inventory));
});

agentRoutes.post('/agents/lease', async (c) => {
  const agent = await agentOf(c);
  const ctx = c.get('ctx');
  const body = await validJson(c, leaseBody(ctx.config.AGENT_LEASE_WAIT_MAX_SECONDS));
  const calls = await leaseCalls(ctx, agent, { waitSeconds: body.wait_seconds, max: body.max }, c.req.raw.signal);
  return c.json({ calls });
});

agentRoutes.post('/agents/calls/:id/renew', async (c) => {
  const agent = await agentOf(c);
  const body = await validJson(c, RenewBody);
  return c.json(await renewLease(c.get('ctx'), agent, c.req.param('id'), body.lease_id));
});

agentRoutes.post('/agents/calls/:id/result', async (c) => {
  const agent = await agentOf(c);
  const body = await validJson(c, ResultBody);
  const posted = { leaseId: body.lease_id, progress: body.progress, buildData: body.build_data, buildDataError: body.build_data_error };
  return c.json(await postResult(c.get('ctx'), agent, c.req.param('id'), posted));
});

agentRoutes.get('/agents/designs/:hash', async (c) => {
  const agent = await agentOf(c);
  const hash = c.req.param('hash').toLowerCase();
  if (!CONTENT_HASH.test(hash)) throw new ApiError('BadRequest', 'A design content hash is 64 hexadecimal characters');
  const design = await agentDesign(c.get('ctx'), agent, hash);
  return c.body(design.text, 200, { 'Content-Type': design.contentType, 'Cache-Control': 'private, no-store' });
});
