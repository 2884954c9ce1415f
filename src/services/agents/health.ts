/**
 * /health/extended's lines about site agents: one per agent not revoked,
 * saying whether it is live. Information only (error: false): a site whose
 * agent is down fails its own tasks' calls, not the edge's health, and an
 * edge without agents is healthy.
 */
import { asc, isNull } from 'drizzle-orm';
import { agents } from '../../db/schema/agents.ts';
import type { ServiceContext } from '../context.ts';
import { isLive, reportedOf } from './report.ts';

export interface AgentHealthLine {
  kind: 'SimpleMessage';
  name: string;
  message: string;
  error: false;
  ms: number;
}

export async function agentHealthLines(ctx: Pick<ServiceContext, 'db' | 'clock' | 'config'>): Promise<AgentHealthLine[]> {
  const started = performance.now();
  const rows = await ctx.db.select().from(agents).where(isNull(agents.revoked)).orderBy(asc(agents.site), asc(agents.name));
  const now = ctx.clock();
  const ms = Math.round((performance.now() - started) * 10) / 10;
  return rows.map((row) => {
    const live = isLive(row, now, ctx.config.AGENT_LIVE_SECONDS);
    const version = reportedOf(row.reported).version ?? 'unknown';
    const seen = row.lastSeen ? `last seen ${row.lastSeen.toISOString()}` : 'never seen';
    return {
      kind: 'SimpleMessage',
      name: `agent ${row.name}`,
      message: `site ${row.site}: ${live ? 'live' : 'not live'}, ${seen}, version ${version}`,
      error: false,
      ms,
    };
  });
}
