/**
 * Boot action contexts at deploy time (Drydock's create_bootaction_context):
 * for each deployed node that at least one boot action targets, a fresh node
 * key and, per targeting action, a ULID action id and a derived action key.
 * Only digests are stored; the keys go back to the caller once, for the node
 * driver to deliver, and are never logged.
 *
 * A new deployment replaces the node's context: the context row is
 * overwritten and every earlier action record of the node has its key
 * digest revoked, so old keys stop working. The earlier records themselves
 * stay, as history of the deployment that made them (an action that never
 * reported stays non-final and the deployment waiting for it times it out).
 */
import { and, inArray, ne, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import { deriveActionKey, generateNodeKey, keyDigest } from './keys.ts';
import type { Config } from '../core/config.ts';
import { bootActionContexts, bootActionStatus } from '../db/schema/bootactions.ts';
import type { Db } from '../db/types.ts';
import type { SiteModel } from '../design/model.ts';
import { runBatch, type BatchStatement } from '../db/batch.ts';
import { keyMemoryOf } from './key-memory.ts';
import { REVOKED_KEY_DIGEST } from './records.ts';

export interface ContextsContext {
  db: Db;
  clock: () => Date;
  config: Pick<Config, 'BOOTACTION_CONTEXT_TTL_SECONDS'>;
}

export interface NewContexts {
  /** The deploy task whose messages the nodes' signals become. */
  taskId: string;
  site: SiteModel;
  nodeNames: string[];
}

export interface NodeBootActions {
  nodeKey: string;
  actions: Array<{ name: string; actionId: string; signaling: boolean }>;
}

// D1 binds at most 100 parameters per statement.
const CONTEXT_ROWS = 15;
const STATUS_ROWS = 10;
const NAMES = 90;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Creates (or replaces) the contexts of the given nodes; answers the keys of those with boot actions. */
export async function createBootActionContexts(ctx: ContextsContext, input: NewContexts): Promise<Map<string, NodeBootActions>> {
  const now = ctx.clock();
  const expires = new Date(now.getTime() + ctx.config.BOOTACTION_CONTEXT_TTL_SECONDS * 1000);
  const names = [...new Set(input.nodeNames)];
  const result = new Map<string, NodeBootActions>();
  const contextRows: Array<typeof bootActionContexts.$inferInsert> = [];
  const statusRows: Array<typeof bootActionStatus.$inferInsert> = [];

  for (const nodeName of names) {
    const targeting = [...input.site.bootActions.values()].filter((ba) => ba.targetNodes.includes(nodeName));
    if (targeting.length === 0) continue;
    const nodeKey = generateNodeKey();
    const actions: NodeBootActions['actions'] = [];
    for (const ba of targeting) {
      const actionId = ulid(now.getTime());
      actions.push({ name: ba.name, actionId, signaling: ba.signaling });
      statusRows.push({
        actionId,
        nodeName,
        actionName: ba.name,
        taskId: input.taskId,
        actionKeyDigest: await keyDigest(await deriveActionKey(nodeKey, actionId)),
        actionStatus: ba.signaling ? 'incomplete' : 'unreported',
        created: now,
      });
    }
    contextRows.push({ nodeName, taskId: input.taskId, nodeKeyDigest: await keyDigest(nodeKey), created: now, expires });
    result.set(nodeName, { nodeKey, actions });
  }

  const { db } = ctx;
  const statements: BatchStatement[] = [];
  const withActions = new Set(result.keys());
  const without = names.filter((n) => !withActions.has(n));
  // A node redeployed with no boot action keeps no context from before.
  for (const part of chunks(without, NAMES)) {
    statements.push(db.delete(bootActionContexts).where(inArray(bootActionContexts.nodeName, part)));
  }
  // Revocation comes before the new records are inserted, which it must not touch.
  for (const part of chunks(names, NAMES)) {
    statements.push(
      db
        .update(bootActionStatus)
        .set({ actionKeyDigest: REVOKED_KEY_DIGEST, updated: now })
        .where(and(inArray(bootActionStatus.nodeName, part), ne(bootActionStatus.actionKeyDigest, REVOKED_KEY_DIGEST))),
    );
  }
  for (const part of chunks(contextRows, CONTEXT_ROWS)) {
    statements.push(
      db
        .insert(bootActionContexts)
        .values(part)
        .onConflictDoUpdate({
          target: bootActionContexts.nodeName,
          set: {
            taskId: sql`excluded.task_id`,
            nodeKeyDigest: sql`excluded.node_key_digest`,
            created: sql`excluded.created`,
            expires: sql`excluded.expires`,
          },
        }),
    );
  }
  for (const part of chunks(statusRows, STATUS_ROWS)) statements.push(db.insert(bootActionStatus).values(part));
  await runBatch(db, statements);
  keyMemoryOf(db).forgetHosts(names);
  return result;
}
