/**
 * Site agents' tokens (docs/site-agent.md): an admin creates an agent for a
 * site and gets its token once; the row keeps only the token's SHA-256
 * digest. Revoking keeps the row (who it was, when last seen) and puts the
 * calls it held back in the queue, in one batch.
 */
import { and, asc, eq } from 'drizzle-orm';
import { sha256Hex } from '../../core/digest.ts';
import { ApiError } from '../../core/errors.ts';
import { runBatch } from '../../db/batch.ts';
import { agents, driverCalls } from '../../db/schema/agents.ts';
import type { ServiceContext } from '../context.ts';
import { isLive, reportedOf, type AgentReport } from './report.ts';

type TokenContext = Pick<ServiceContext, 'db' | 'clock' | 'config' | 'callWakeups'>;

export const TOKEN_PREFIX = 'dda_';

export interface CreatedAgent {
  agent_id: string;
  name: string;
  site: string;
  /** Shown only in the answer to the create. */
  token: string;
  created: string;
}

export interface AgentView extends AgentReport {
  agent_id: string;
  name: string;
  site: string;
  created: string;
  revoked: string | null;
  last_seen: string | null;
  live: boolean;
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `dda_` and 256 random bits in base64url (43 characters). */
export function newAgentToken(): string {
  return TOKEN_PREFIX + base64url(crypto.getRandomValues(new Uint8Array(32)));
}

export async function createAgent(ctx: TokenContext, input: { name: string; site: string }): Promise<CreatedAgent> {
  const token = newAgentToken();
  const created = ctx.clock();
  const agentId = crypto.randomUUID();
  await ctx.db.insert(agents).values({ agentId, name: input.name, site: input.site, tokenDigest: await sha256Hex(token), created });
  return { agent_id: agentId, name: input.name, site: input.site, token, created: created.toISOString() };
}

export async function listAgents(ctx: TokenContext): Promise<AgentView[]> {
  const rows = await ctx.db.select().from(agents).orderBy(asc(agents.created), asc(agents.agentId));
  const now = ctx.clock();
  return rows.map((row) => ({
    agent_id: row.agentId,
    name: row.name,
    site: row.site,
    created: row.created.toISOString(),
    revoked: row.revoked?.toISOString() ?? null,
    last_seen: row.lastSeen?.toISOString() ?? null,
    live: isLive(row, now, ctx.config.AGENT_LIVE_SECONDS),
    ...reportedOf(row.reported),
  }));
}

/**
 * Stops the agent's token at once and queues its leased calls again (their
 * lease ids are cleared, so a result it still posts is a 409). Revoking a
 * revoked agent keeps its first revocation time. 404 for an unknown id.
 */
export async function revokeAgent(ctx: TokenContext, agentId: string): Promise<void> {
  const [row] = await ctx.db.select({ revoked: agents.revoked, site: agents.site }).from(agents).where(eq(agents.agentId, agentId.slice(0, 64)));
  if (!row) throw new ApiError('NotFound', `No agent ${agentId.slice(0, 64)}`);
  const { db } = ctx;
  await runBatch(db, [
    db.update(agents).set({ revoked: row.revoked ?? ctx.clock() }).where(eq(agents.agentId, agentId)),
    db
      .update(driverCalls)
      .set({ state: 'queued', leaseId: null, leaseAgent: null, leaseExpires: null })
      .where(and(eq(driverCalls.leaseAgent, agentId), eq(driverCalls.state, 'leased'))),
  ]);
  ctx.callWakeups.queued(row.site);
}
