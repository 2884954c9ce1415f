/**
 * Agent token checks (docs/site-agent.md). The presented token is always
 * hashed and its digest compared in constant time with a stored one (or a
 * stand-in when none matches the lookup), so a missing row, a revoked agent
 * and a wrong token take the same work and get one 401.
 *
 * Failures are counted per client address with the boot action key limit
 * (BOOTACTION_AUTH_FAILURES_PER_MINUTE, services/rate-limit.ts): an address
 * over it gets 429 before its token is looked at, its right token included,
 * which is what sheds a guesser's load. Requests without a known address
 * share no bucket (one of them could lock out all). A request with no token
 * at all is not counted: it guesses nothing.
 */
import { eq } from 'drizzle-orm';
import { digestsEqual, sha256Hex } from '../../core/digest.ts';
import { ApiError } from '../../core/errors.ts';
import { agents } from '../../db/schema/agents.ts';
import type { ServiceContext } from '../context.ts';
import { limitState, recordFailure } from '../rate-limit.ts';

type AuthContext = Pick<ServiceContext, 'db' | 'clock' | 'config' | 'log'>;

export interface AgentRequest {
  /** The Authorization header as sent. */
  authorization: string | undefined;
  /** The caller's address, for its failure bucket; undefined when not known. */
  client: string | undefined;
}

export interface AuthenticatedAgent {
  agentId: string;
  name: string;
  site: string;
}

const TOKEN = /^dda_[A-Za-z0-9_-]{43}$/;
const STAND_IN = '0'.repeat(64);

export const refused = () =>
  new ApiError('Unauthorized', 'agent token refused', { headers: { 'WWW-Authenticate': 'Bearer realm="drydock agents"' } });

const tooMany = (retryAfter: number) =>
  new ApiError('TooManyRequests', 'Too many refused agent tokens; retry later', { headers: { 'Retry-After': String(retryAfter) } });

function bearer(header: string | undefined): string | null {
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m ? m[1]! : null;
}

async function countFailure(ctx: AuthContext, bucket: string | null, reason: string): Promise<void> {
  ctx.log.info('agent token refused', { reason });
  if (bucket === null) return;
  try {
    await recordFailure(ctx, { limit: ctx.config.BOOTACTION_AUTH_FAILURES_PER_MINUTE }, [bucket]);
  } catch (err) {
    ctx.log.warn('agent token failure not counted', { error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' });
  }
}

/** The agent whose live token this request carries; 401 (`agent token refused`) or 429 otherwise. */
export async function authenticateAgent(ctx: AuthContext, request: AgentRequest): Promise<AuthenticatedAgent> {
  const token = bearer(request.authorization);
  if (token === null) throw refused();
  const bucket = request.client === undefined ? null : `agent-client:${request.client}`;
  const limits = { limit: ctx.config.BOOTACTION_AUTH_FAILURES_PER_MINUTE };
  const digest = await sha256Hex(token.slice(0, 256));
  const [limit, [row]] = await Promise.all([
    limitState(ctx, limits, bucket ? [bucket] : []),
    ctx.db.select().from(agents).where(eq(agents.tokenDigest, digest)).limit(1),
  ]);
  if (bucket && limit.reached(bucket)) throw tooMany(limit.retryAfter);
  const matched = digestsEqual(digest, row?.tokenDigest ?? STAND_IN);
  if (row && matched && !row.revoked && TOKEN.test(token)) return { agentId: row.agentId, name: row.name, site: row.site };
  await countFailure(ctx, bucket, !TOKEN.test(token) ? 'malformed' : !row ? 'unknown' : 'revoked');
  throw refused();
}
