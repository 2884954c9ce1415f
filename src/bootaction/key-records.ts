/**
 * The stored key digest behind a host name or an action id, read so that an
 * unknown name costs what a known one does. Each query starts from the name
 * asked for and left-joins the records, so it always returns exactly one row
 * of the same columns, with ABSENT_KEY_DIGEST standing in for the digest when
 * the name is unknown; the caller then hashes and compares exactly as for a
 * known name. (An inner join returned no row for an unknown host, and that
 * 403 came back tens of microseconds sooner than a wrong key's:
 * bench/keycheck.ts measures both.)
 */
import { eq, sql } from 'drizzle-orm';
import { bootActionContexts, bootActionStatus } from '../db/schema/bootactions.ts';
import { tasks } from '../db/schema/tasks.ts';
import type { Db } from '../db/types.ts';
import { ABSENT_KEY_DIGEST, REVOKED_KEY_DIGEST } from './records.ts';

export interface KeyRecord<T> {
  /**
   * The stored digests a presented key may match, each ABSENT_KEY_DIGEST for
   * an unknown name; always the same number for a kind of name, so every
   * request of that kind compares the same number of times.
   */
  digests: readonly string[];
  known: boolean;
  /** Known, current (not expired or replaced) and complete. */
  usable: boolean;
  value: T;
  /** When the context behind the name expires (null: never, or not read). */
  expires?: Date | null;
}

export interface NodeRecord {
  nodeName: string;
  taskId: string;
  designRef: string;
  /** The deploy task's pinned design; null for a context made before tasks pinned designs. */
  designContentHash: string | null;
}

export interface ActionRecord {
  /** Which key the node presented: the action's own, or its node's (Drydock's only key). */
  via: 'action key' | 'node key';
  actionId: string;
  actionName: string;
  nodeName: string;
  taskId: string;
  actionStatus: string;
}

const notExpired = (expires: Date | null, now: Date) => expires === null || expires.getTime() > now.getTime();
const digestOr = (column: typeof bootActionContexts.nodeKeyDigest | typeof bootActionStatus.actionKeyDigest) =>
  sql<string>`coalesce(${column}, ${ABSENT_KEY_DIGEST})`;

export async function nodeKeyRecord(db: Db, name: string, now: Date): Promise<KeyRecord<NodeRecord>> {
  const [row] = await db
    .select({
      nodeName: bootActionContexts.nodeName,
      taskId: bootActionContexts.taskId,
      digest: digestOr(bootActionContexts.nodeKeyDigest),
      expires: bootActionContexts.expires,
      designRef: tasks.designRef,
      designContentHash: tasks.designContentHash,
    })
    .from(sql`(select ${name} as name) as wanted`)
    .leftJoin(bootActionContexts, eq(bootActionContexts.nodeName, sql`wanted.name`))
    .leftJoin(tasks, eq(tasks.taskId, sql`coalesce(${bootActionContexts.taskId}, '')`));
  const known = row?.nodeName != null && row.taskId != null;
  return {
    digests: [row?.digest ?? ABSENT_KEY_DIGEST],
    known,
    usable: known && notExpired(row.expires, now) && row.designRef != null,
    expires: row?.expires ?? null,
    value: {
      nodeName: row?.nodeName ?? '',
      taskId: row?.taskId ?? '',
      designRef: row?.designRef ?? '',
      designContentHash: row?.designContentHash ?? null,
    },
  };
}

/**
 * An action accepts two keys: its own action key, and the node key of the
 * context that made it. Drydock has one key per node and every action of the
 * node is signalled with it (baclient with `-keyfile` holds only that key);
 * the per-action key is our extra, so a leaked unit file signals one action.
 * The node key is compared against the node's current context, so it only
 * reaches actions of that context: an action of an earlier deployment has
 * another task than the context (or, made again by the same task, a revoked
 * digest) and is refused whatever key is presented.
 */
export async function actionKeyRecord(db: Db, id: string, now: Date): Promise<KeyRecord<Omit<ActionRecord, 'via'>>> {
  const [row] = await db
    .select({
      actionId: bootActionStatus.actionId,
      actionName: bootActionStatus.actionName,
      nodeName: bootActionStatus.nodeName,
      taskId: bootActionStatus.taskId,
      actionStatus: bootActionStatus.actionStatus,
      digest: digestOr(bootActionStatus.actionKeyDigest),
      nodeDigest: digestOr(bootActionContexts.nodeKeyDigest),
      contextTaskId: bootActionContexts.taskId,
      expires: bootActionContexts.expires,
    })
    .from(sql`(select ${id} as id) as wanted`)
    .leftJoin(bootActionStatus, eq(bootActionStatus.actionId, sql`wanted.id`))
    .leftJoin(bootActionContexts, eq(bootActionContexts.nodeName, sql`coalesce(${bootActionStatus.nodeName}, '')`));
  const known = row?.actionId != null && row.taskId != null;
  return {
    digests: [row?.digest ?? ABSENT_KEY_DIGEST, row?.nodeDigest ?? ABSENT_KEY_DIGEST],
    known,
    // A context of another task means the node was deployed again: this action's keys are replaced.
    usable: known && row.contextTaskId === row.taskId && row.digest !== REVOKED_KEY_DIGEST && notExpired(row.expires, now),
    expires: row?.expires ?? null,
    value: {
      actionId: row?.actionId ?? '',
      actionName: row?.actionName ?? '',
      nodeName: row?.nodeName ?? '',
      taskId: row?.taskId ?? '',
      actionStatus: row?.actionStatus ?? '',
    },
  };
}
