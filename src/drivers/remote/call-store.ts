import { and, desc, eq, isNull, max } from 'drizzle-orm';
import { agents, driverCalls } from '../../db/schema/agents.ts';
import type { Db } from '../../db/types.ts';
import type { DriverMemo, Progress } from '../types.ts';

/** One driver call as the edge's remote driver reads it back. */
export interface CallRow {
  callId: string;
  seq: number;
  state: string;
  attempts: number;
  created: Date;
  /** When the orchestrator took the result (a delivery's: when a deploy attempt did). */
  taken: Date | null;
  /** The driver's answer the agent posted (its build data went to the build_data table with it). */
  result: Progress | null;
  request: CallRequest;
}

/** What the agent API hands an agent with a leased call (docs/site-agent.md; services/agents/lease.ts). */
export interface CallRequest {
  design: { content_hash: string };
  memo: DriverMemo | null;
  /** deliver_boot_action_context: the node's BootActionDelivery (its key) as JSON, sealed with the design key. */
  sealedContext?: string;
}

export interface NewCall {
  site: string;
  taskId: string;
  nodeName: string;
  action: string;
  driver: string;
  request: CallRequest;
}

const columns = {
  callId: driverCalls.callId,
  seq: driverCalls.seq,
  state: driverCalls.state,
  attempts: driverCalls.attempts,
  created: driverCalls.created,
  taken: driverCalls.taken,
  result: driverCalls.result,
  request: driverCalls.request,
};

/** The newest call of a task's action for a node ('' for the site), if any. */
export async function latestCall(db: Db, taskId: string, nodeName: string, action: string): Promise<CallRow | null> {
  const [row] = await db
    .select(columns)
    .from(driverCalls)
    .where(and(eq(driverCalls.taskId, taskId), eq(driverCalls.nodeName, nodeName), eq(driverCalls.action, action)))
    .orderBy(desc(driverCalls.seq))
    .limit(1);
  return row ? { ...row, result: (row.result as Progress | null) ?? null, request: row.request as CallRequest } : null;
}

/**
 * Queues the call after `previous` (seq + 1). Two executors stepping the
 * same subtask at once insert the same seq: the unique index keeps one,
 * and both go on with it.
 */
export async function enqueueCall(db: Db, call: NewCall, previous: CallRow | null, now: Date): Promise<CallRow> {
  const seq = (previous?.seq ?? 0) + 1;
  await db
    .insert(driverCalls)
    .values({ callId: crypto.randomUUID(), ...call, seq, state: 'queued', attempts: 0, created: now })
    .onConflictDoNothing();
  const row = await latestCall(db, call.taskId, call.nodeName, call.action);
  if (!row) throw new Error(`driver call ${call.action} of task ${call.taskId} vanished after it was queued`);
  return row;
}

/** Marks a done call's result as handed to the orchestrator. */
export async function takeCall(db: Db, callId: string, now: Date): Promise<void> {
  await db.update(driverCalls).set({ taken: now }).where(and(eq(driverCalls.callId, callId), isNull(driverCalls.taken)));
}

/** When an agent of the site (not revoked) was last seen, or null if none ever was. */
export async function siteLastSeen(db: Db, site: string): Promise<Date | null> {
  const [row] = await db
    .select({ seen: max(agents.lastSeen) })
    .from(agents)
    .where(and(eq(agents.site, site), isNull(agents.revoked)));
  const seen = row?.seen as Date | number | null | undefined;
  return seen == null ? null : new Date(seen);
}
