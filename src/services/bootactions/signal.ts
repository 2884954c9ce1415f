/**
 * A node's report on one boot action (Drydock's BootactionResource.on_post).
 * Every detail becomes a result message of the task that created the action
 * (context: the action id, context type `bootaction`); a `status` finalises
 * the action. One batch does it all, guarded by one condition: the messages
 * are inserted, the task's error count raised and the record updated only
 * while the action is still open, and the UPDATE … RETURNING at the end says
 * whether it was. So a report on a final action changes nothing and is 409,
 * and of two racing final reports exactly one wins; the loser's messages are
 * not kept either.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { bootActionStatus } from '../../db/schema/bootactions.ts';
import { resultMessages, tasks } from '../../db/schema/tasks.ts';
import type { Db } from '../../db/types.ts';
import { ApiError } from '../../errors.ts';
import { runBatch, type BatchStatement } from '../../orchestrator/db-batch.ts';
import type { AuthenticatedAction } from './authenticate.ts';
import { OPEN_STATUSES, type BootActionView } from './records.ts';
import type { SignalBody, SignalDetail } from './signal-body.ts';

export interface SignalContext {
  db: Db;
  clock: () => Date;
}

// D1 binds at most 100 parameters per statement: 7 per message.
const MESSAGE_ROWS = 10;

function messageRows(action: AuthenticatedAction, details: SignalDetail[], ts: number): SQL {
  return sql.join(
    details.map(
      (d) => sql`(${action.taskId}, ${d.message}, ${d.error ? 1 : 0}, ${action.actionId}, 'bootaction', ${ts}, ${JSON.stringify(d.extra)})`,
    ),
    sql`, `,
  );
}

export async function signalBootAction(ctx: SignalContext, action: AuthenticatedAction, body: SignalBody): Promise<BootActionView> {
  const { db } = ctx;
  const now = ctx.clock();
  const isOpen = and(eq(bootActionStatus.actionId, action.actionId), inArray(bootActionStatus.actionStatus, [...OPEN_STATUSES]));
  const stillOpen = sql`exists (select 1 from ${bootActionStatus} where ${isOpen})`;
  const statements: BatchStatement[] = [];
  for (let i = 0; i < body.details.length; i += MESSAGE_ROWS) {
    const rows = messageRows(action, body.details.slice(i, i + MESSAGE_ROWS), now.getTime());
    statements.push(
      db.run(sql`insert into ${resultMessages} ("task_id", "message", "error", "context", "context_type", "ts", "extra")
        select * from (values ${rows}) where ${stillOpen}`),
    );
  }
  const errors = body.details.filter((d) => d.error).length;
  if (errors > 0) {
    statements.push(
      db
        .update(tasks)
        .set({ resultErrorCount: sql`${tasks.resultErrorCount} + ${errors}`, updated: now })
        .where(and(eq(tasks.taskId, action.taskId), stillOpen)),
    );
  }
  statements.push(
    db
      .update(bootActionStatus)
      .set({ updated: now, ...(body.status ? { actionStatus: body.status } : {}) })
      .where(isOpen)
      .returning({
        action_id: bootActionStatus.actionId,
        action_name: bootActionStatus.actionName,
        node_name: bootActionStatus.nodeName,
        task_id: bootActionStatus.taskId,
        action_status: bootActionStatus.actionStatus,
      }),
  );
  const results = await runBatch(db, statements);
  // With RETURNING, count the rows (libSQL reports rowsAffected as 0).
  const updated = results[results.length - 1] as BootActionView[];
  const row = updated[0];
  if (!row) {
    throw new ApiError('Conflict', `Action ${action.actionId} status finalized, not available for update.`);
  }
  return row;
}
