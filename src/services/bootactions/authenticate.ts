/**
 * Key authentication of the node-facing boot action endpoints.
 *
 * Drydock compared raw keys with `!=`, logged both keys on a mismatch,
 * answered 500 for a key that was not hex and 404 for an unknown host. Here a
 * missing key is 401; a wrong key, a malformed key, an unknown host or action
 * and an expired or replaced context are one 403 with one body, reached by
 * the same work: the presented key is always hashed and compared, in
 * constant time, with a stored digest or a stand-in (key-records.ts).
 *
 * Which keys open what (key-records.ts): a node's key fetches its boot data
 * and signals every action of its current context, as Drydock's one key per
 * node does; an action key signals its own action only. A signal compares
 * the presented key with both stored digests every time.
 *
 * Failed checks are counted in two buckets per window (services/rate-limit.ts),
 * and the two do different jobs:
 *
 * - Per client address. Over its limit, that address gets 429 before its key
 *   is compared, whatever it sends, its own right key included: this is what
 *   sheds an attacker's load (no failure is written for those requests) and
 *   it only ever stops the address that failed. Requests whose address is
 *   unknown are not pooled into one bucket, which anyone could fill.
 * - Per target (the host or action id named in the request, known or not, so
 *   the count reveals nothing). Over its limit, wrong keys for it get 429
 *   instead of 403, but every key is still compared and the right one is
 *   accepted: others' failures must never lock a node out of its own deploy.
 *   Keys are 256-bit, so this bucket is not against guessing (the per-client
 *   one covers that too); it tells a misbehaving fleet to back off
 *   (Retry-After) and keeps log noise to one line per failure up to the limit.
 *
 * A failure that cannot be counted (a database that cannot be written) is
 * logged at warn and the answer stays 403: counting is best effort, refusing
 * a wrong key is not.
 */
import { isKeyHex, keyDigest } from '../../bootaction/keys.ts';
import { digestsEqual } from '../../core/digest.ts';
import { ApiError } from '../../core/errors.ts';
import type { ServiceContext } from '../context.ts';
import { limitState, recordFailure, type FailureLimit } from '../rate-limit.ts';
import { keyMemoryOf, type MemoryKind, type MemoryRecord } from '../../bootaction/key-memory.ts';
import { actionKeyRecord, nodeKeyRecord, type ActionRecord, type KeyRecord, type NodeRecord } from '../../bootaction/key-records.ts';

export const KEY_HEADER = 'X-Bootaction-Key';

type KeyAuthContext = Pick<ServiceContext, 'db' | 'clock' | 'config' | 'log'>;

export interface KeyRequest {
  /** The X-Bootaction-Key header as sent (undefined when absent). */
  key: string | undefined;
  /** The caller's address, for its rate limit bucket; undefined when not known. */
  client: string | undefined;
}

/** A node that presented its current node key. */
export interface AuthenticatedNode extends NodeRecord {
  /** The key the node presented (normalised), to derive action keys for rendering. */
  nodeKey: string;
}

export type AuthenticatedAction = ActionRecord;

const refused = () => new ApiError('Forbidden', 'Invalid X-Bootaction-Key');
const tooMany = (retryAfter: number) =>
  new ApiError('TooManyRequests', 'Too many failed boot action key checks; retry later', {
    headers: { 'Retry-After': String(retryAfter) },
  });

// Hex is case-insensitive (Drydock's bytes.fromhex took either case); keys are issued lowercase.
const normalise = (key: string) => key.trim().toLowerCase();

async function countFailure(ctx: KeyAuthContext, limits: FailureLimit, buckets: string[], target: string): Promise<void> {
  keyMemoryOf(ctx.db).forgetClients(buckets);
  try {
    await recordFailure(ctx, limits, buckets);
  } catch (err) {
    ctx.log.warn('boot action key failure not counted', { target, error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' });
  }
}

function presentedKey(request: KeyRequest): string {
  if (request.key === undefined || request.key.trim() === '') {
    throw new ApiError('Unauthorized', `No ${KEY_HEADER}`, { headers: { 'WWW-Authenticate': 'Bootaction-Key' } });
  }
  return normalise(request.key);
}

const clientBucket = (request: KeyRequest) => (request.client === undefined ? null : `bootaction-client:${request.client}`);

async function verify<T>(
  ctx: KeyAuthContext,
  request: KeyRequest,
  target: string,
  lookup: () => Promise<KeyRecord<T>>,
  presented: { key: string; digest: string },
): Promise<{ record: KeyRecord<T>; matched: number }> {
  const { key, digest } = presented;
  const limits = { limit: ctx.config.BOOTACTION_AUTH_FAILURES_PER_MINUTE };
  const client = clientBucket(request);
  const buckets = client ? [client, target] : [target];
  const [limit, record] = await Promise.all([limitState(ctx, limits, buckets), lookup()]);
  if (client && limit.reached(client)) throw tooMany(limit.retryAfter);
  // Every stored digest is compared, matching or not, so which one matched takes no less time.
  const matches = record.digests.map((stored) => digestsEqual(digest, stored));
  const matched = matches.indexOf(true);
  if (matched >= 0 && record.usable && isKeyHex(key)) return { record, matched };
  await countFailure(ctx, limits, buckets, target);
  const targetFull = limit.reached(target);
  const reason = !record.known ? 'unknown' : !record.usable ? 'expired or replaced' : 'wrong key';
  // Past the target's limit the 429s say enough; one line per failure up to it.
  ctx.log[targetFull ? 'debug' : 'info']('boot action key refused', { target, client: request.client, reason });
  throw targetFull ? tooMany(limit.retryAfter) : refused();
}

/**
 * A key check answered from this process's memory when it passed lately
 * (key-memory.ts), else the full check, remembered when it passes. The
 * client's standing is looked at first, as the full check does; a
 * remembered key passed a full check, so it is well-formed hex.
 */
async function check<K extends MemoryKind, R>(
  ctx: KeyAuthContext,
  request: KeyRequest,
  kind: K,
  name: string,
  lookup: () => Promise<KeyRecord<R>>,
  passed: (value: R, matched: number) => MemoryRecord<K>,
): Promise<{ value: MemoryRecord<K>; key: string }> {
  const key = presentedKey(request);
  const digest = await keyDigest(key);
  const memory = keyMemoryOf(ctx.db);
  const now = ctx.clock().getTime();
  const client = clientBucket(request);
  const remembered = client === null || memory.clientUnder(client, now) ? memory.recall(kind, name, digest, now) : undefined;
  if (remembered) return { value: remembered, key };
  const generation = memory.generation;
  const target = kind === 'node' ? `bootaction-host:${name}` : `bootaction-action:${name}`;
  const { record, matched } = await verify(ctx, request, target, lookup, { key, digest });
  const value = passed(record.value, matched);
  const contextExpires = record.expires?.getTime() ?? null;
  memory.remember(kind, generation, { name, digest, record: value, contextExpires, client }, now, ctx.config.BOOTACTION_KEY_CHECK_MEMORY_MS);
  return { value, key };
}

/** The node's current context, when `key` is its node key (GET …/files|units). */
export async function authenticateNode(ctx: KeyAuthContext, hostname: string, request: KeyRequest): Promise<AuthenticatedNode> {
  const name = hostname.slice(0, 255);
  const { value, key } = await check(ctx, request, 'node', name, () => nodeKeyRecord(ctx.db, name, ctx.clock()), (v) => v);
  return { ...value, nodeKey: key };
}

/** ULIDs are case-insensitive Crockford base32; they are stored uppercase. */
export function normaliseActionId(raw: string): string {
  return raw.slice(0, 64).toUpperCase();
}

/**
 * The boot action, when `key` is its action key or its node's key and its
 * node's context is current (POST signals); see actionKeyRecord.
 */
export async function authenticateAction(ctx: KeyAuthContext, actionId: string, request: KeyRequest): Promise<AuthenticatedAction> {
  const id = normaliseActionId(actionId);
  const lookup = () => actionKeyRecord(ctx.db, id, ctx.clock());
  const via = (matched: number): AuthenticatedAction['via'] => (matched === 0 ? 'action key' : 'node key');
  const { value } = await check(ctx, request, 'action', id, lookup, (v, matched) => ({ ...v, via: via(matched) }));
  return value;
}
