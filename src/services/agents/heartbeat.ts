/** An agent's heartbeat, and the designs it may read to compile its calls (docs/site-agent.md). */
import { and, eq, sql } from 'drizzle-orm';
import { ApiError } from '../../core/errors.ts';
import { designTextByHash } from '../../design/store.ts';
import { agents, driverCalls } from '../../db/schema/agents.ts';
import type { ServiceContext } from '../context.ts';
import type { AuthenticatedAgent } from './authenticate.ts';
import type { AgentReport } from './report.ts';
import { touchAgent } from './lease.ts';

export async function heartbeat(
  ctx: Pick<ServiceContext, 'db' | 'clock'>,
  agent: AuthenticatedAgent,
  report: AgentReport,
): Promise<{ agent_id: string; site: string; server_time: string }> {
  const now = ctx.clock();
  await ctx.db.update(agents).set({ lastSeen: now, reported: report }).where(eq(agents.agentId, agent.agentId));
  return { agent_id: agent.agentId, site: agent.site, server_time: now.toISOString() };
}

/**
 * The pinned design text with this content hash, when a call of the agent's
 * site refers to it; 404 otherwise, whether it is stored or not, so an agent
 * learns nothing of other sites' designs.
 */
export async function agentDesign(
  ctx: Pick<ServiceContext, 'db' | 'clock' | 'siteDesign'>,
  agent: AuthenticatedAgent,
  contentHash: string,
): Promise<{ text: string; contentType: string }> {
  await touchAgent(ctx, agent);
  const [used] = await ctx.db
    .select({ one: sql`1` })
    .from(driverCalls)
    .where(and(eq(driverCalls.site, agent.site), sql`json_extract(${driverCalls.request}, '$.design.content_hash') = ${contentHash}`))
    .limit(1);
  const stored = used ? await designTextByHash(ctx.db, ctx.siteDesign.box, contentHash) : null;
  if (!stored) throw new ApiError('NotFound', `No design ${contentHash} for site ${agent.site}`);
  return { text: stored.text, contentType: `${stored.format === 'json' ? 'application/json' : 'application/x-yaml'}; charset=utf-8` };
}
