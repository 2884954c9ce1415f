/**
 * Key authentication of the node-facing boot action endpoints.
 *
 * Drydock compared raw keys with `!=`, logged both keys on a mismatch,
 * answered 500 for a key that was not hex and 404 for an unknown host. Here a
 * missing key is 401; a wrong key, a malformed key, an unknown host or action
 * and an expired or replaced context are one 403 with one body, reached by
 * the same work: the presented key is always hashed and compared, in
 * constant time, with a stored digest or a stand-in. Failures count against
 * the client's address and against the host (or action id) asked for; over
 * the limit the answer is 429 before any key is looked at. The target bucket
 * is keyed by the name in the request, known or not, so the limit reveals
 * nothing either.
 */
import { eq } from 'drizzle-orm';
import { isKeyHex, keyDigest } from '../../bootaction/keys.ts';
import { digestsEqual } from '../../auth/digest.ts';
import type { Config } from '../../config.ts';
import { bootActionContexts, bootActionStatus } from '../../db/schema/bootactions.ts';
import { tasks } from '../../db/schema/tasks.ts';
import type { Db } from '../../db/types.ts';
import { ApiError } from '../../errors.ts';
import { recordFailure, retryAfterIfLimited } from '../../http/rate-limit.ts';
import type { Logger } from '../../log.ts';
import { ABSENT_KEY_DIGEST } from './records.ts';

export const KEY_HEADER = 'X-Bootaction-Key';

export interface KeyAuthContext {
  db: Db;
  clock: () => Date;
  config: Pick<Config, 'BOOTACTION_AUTH_FAILURES_PER_MINUTE'>;
  log: Logger;
}

export interface KeyRequest {
  /** The X-Bootaction-Key header as sent (undefined when absent). */
  key: string | undefined;
  /** The caller's address, for its rate limit bucket. */
  client: string;
}

/** A node that presented its current node key. */
export interface AuthenticatedNode {
  nodeName: string;
  taskId: string;
  designRef: string;
  /** The key the node presented (normalised), to derive action keys for rendering. */
  nodeKey: string;
}

export interface AuthenticatedAction {
  actionId: string;
  actionName: string;
  nodeName: string;
  taskId: string;
  actionStatus: string;
}

interface Candidate<T> {
  digest: string;
  usable: boolean;
  value: T;
}

const refused = () => new ApiError('Forbidden', 'Invalid X-Bootaction-Key');

// Hex is case-insensitive (Drydock's bytes.fromhex took either case); keys are issued lowercase.
const normalise = (key: string) => key.trim().toLowerCase();

const notExpired = (expires: Date | null, now: Date) => expires === null || expires.getTime() > now.getTime();

async function verify<T>(
  ctx: KeyAuthContext,
  request: KeyRequest,
  target: string,
  lookup: () => Promise<Candidate<T> | null>,
): Promise<{ value: T; key: string }> {
  if (request.key === undefined || request.key.trim() === '') {
    throw new ApiError('Unauthorized', `No ${KEY_HEADER}`, { headers: { 'WWW-Authenticate': 'Bootaction-Key' } });
  }
  const key = normalise(request.key);
  const limits = { db: ctx.db, clock: ctx.clock, limit: ctx.config.BOOTACTION_AUTH_FAILURES_PER_MINUTE };
  const buckets = [`bootaction-client:${request.client}`, target];
  const [retryAfter, found, digest] = await Promise.all([retryAfterIfLimited(limits, buckets), lookup(), keyDigest(key)]);
  if (retryAfter !== null) {
    throw new ApiError('TooManyRequests', 'Too many failed boot action key checks; retry later', {
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
  const matches = digestsEqual(digest, found?.digest ?? ABSENT_KEY_DIGEST);
  if (found && matches && found.usable && isKeyHex(key)) return { value: found.value, key };
  await recordFailure(limits, buckets);
  ctx.log.info('boot action key refused', {
    target,
    client: request.client,
    reason: !found ? 'unknown' : !found.usable ? 'expired or replaced' : 'wrong key',
  });
  throw refused();
}

/** The node's current context, when `key` is its node key (GET …/files|units). */
export async function authenticateNode(ctx: KeyAuthContext, hostname: string, request: KeyRequest): Promise<AuthenticatedNode> {
  const name = hostname.slice(0, 255);
  const { value, key } = await verify(ctx, request, `bootaction-host:${name}`, async () => {
    const [row] = await ctx.db
      .select({
        nodeName: bootActionContexts.nodeName,
        taskId: bootActionContexts.taskId,
        digest: bootActionContexts.nodeKeyDigest,
        expires: bootActionContexts.expires,
        designRef: tasks.designRef,
      })
      .from(bootActionContexts)
      .innerJoin(tasks, eq(tasks.taskId, bootActionContexts.taskId))
      .where(eq(bootActionContexts.nodeName, name))
      .limit(1);
    if (!row) return null;
    const usable = notExpired(row.expires, ctx.clock()) && row.designRef !== null;
    return { digest: row.digest, usable, value: { nodeName: row.nodeName, taskId: row.taskId, designRef: row.designRef ?? '' } };
  });
  return { ...value, nodeKey: key };
}

/** ULIDs are case-insensitive Crockford base32; they are stored uppercase. */
export function normaliseActionId(raw: string): string {
  return raw.slice(0, 64).toUpperCase();
}

/** The boot action, when `key` is its action key and its node's context is current (POST signals). */
export async function authenticateAction(ctx: KeyAuthContext, actionId: string, request: KeyRequest): Promise<AuthenticatedAction> {
  const id = normaliseActionId(actionId);
  const { value } = await verify(ctx, request, `bootaction-action:${id}`, async () => {
    const [row] = await ctx.db
      .select({
        actionId: bootActionStatus.actionId,
        actionName: bootActionStatus.actionName,
        nodeName: bootActionStatus.nodeName,
        taskId: bootActionStatus.taskId,
        actionStatus: bootActionStatus.actionStatus,
        digest: bootActionStatus.actionKeyDigest,
        contextTaskId: bootActionContexts.taskId,
        expires: bootActionContexts.expires,
      })
      .from(bootActionStatus)
      .innerJoin(bootActionContexts, eq(bootActionContexts.nodeName, bootActionStatus.nodeName))
      .where(eq(bootActionStatus.actionId, id))
      .limit(1);
    if (!row) return null;
    const { digest, contextTaskId, expires, ...action } = row;
    return { digest, usable: contextTaskId === row.taskId && notExpired(expires, ctx.clock()), value: action };
  });
  return value;
}
