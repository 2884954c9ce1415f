/**
 * A node's report on one boot action (Drydock's BootactionResource.on_post).
 * Every detail becomes a result message of the task that created the action
 * (context: the action id, context type `bootaction`); a `status` finalises
 * the action.
 *
 * One batch does it all, all or nothing, and the first statement decides:
 * the INSERT of the messages runs only while the action is open and its
 * messages stay within BOOTACTION_MAX_MESSAGES; each later statement runs
 * only if the one before it changed a row (SQLite's changes(), which the
 * batch's single connection and transaction keep to this batch on libSQL and
 * D1). A report without details is decided by the UPDATE of the record
 * alone. The UPDATE … RETURNING says whether the report was taken: on a final
 * action nothing changes and the answer is 409, and of two racing reports
 * that would pass the budget together, or two final ones, exactly one wins;
 * the loser's messages are not kept either.
 *
 * A report whose messages would pass the budget is 409 (Conflict), not 429:
 * the budget never refills, so waiting and retrying cannot help, and the
 * action's state decides it, as for a final action. A report with only a
 * status is still taken, so the node can always finish its action.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { bootActionStatus } from '../../db/schema/bootactions.ts';
import { resultMessages, tasks } from '../../db/schema/tasks.ts';
import { ApiError } from '../../core/errors.ts';
import { runBatch, type BatchStatement } from '../../db/batch.ts';
import { errorCountPlus, insertResultMessages } from '../../orchestrator/task-store.ts';
import { insertMessageEvents } from '../../db/task-events.ts';
import type { AuthenticatedAction } from './authenticate.ts';
import type { ServiceContext } from '../context.ts';
import { NOT_SIGNALING_STATUS, OPEN_STATUSES, type BootActionView } from '../../bootaction/records.ts';
import type { SignalBody } from './signal-body.ts';

/**
 * config.BOOTACTION_MAX_MESSAGES: messages one action may add to its task,
 * over all its reports. signalCommits: commits this report's batch with
 * others made at the same time (group-commit.ts); null: a batch of its own.
 */
type SignalContext = Pick<ServiceContext, 'db' | 'clock' | 'config' | 'signalCommits'>;

// Counted with the (task_id, sequence) index: a scan of this task's messages, bounded by the budget of its actions.
const messagesOfAction = (action: AuthenticatedAction) =>
  sql`(select count(*) from ${resultMessages} where ${resultMessages.taskId} = ${action.taskId}
    and ${resultMessages.context} = ${action.actionId} and ${resultMessages.contextType} = 'bootaction')`;

const changedRows = sql`changes() > 0`;

export async function signalBootAction(ctx: SignalContext, action: AuthenticatedAction, body: SignalBody): Promise<BootActionView> {
  const { db } = ctx;
  const now = ctx.clock();
  const count = body.details.length;
  const isOpen = and(eq(bootActionStatus.actionId, action.actionId), inArray(bootActionStatus.actionStatus, [...OPEN_STATUSES]));
  const statements: BatchStatement[] = [];
  if (count > 0) {
    const messages = body.details.map(({ message, error, extra }) => ({ message, error, extra, context: action.actionId, contextType: 'bootaction' }));
    const withinBudget = sql`exists (select 1 from ${bootActionStatus} where ${isOpen})
      and ${messagesOfAction(action)} + ${count} <= ${ctx.config.BOOTACTION_MAX_MESSAGES}`;
    statements.push(insertResultMessages(db, action.taskId, messages, now.getTime(), withinBudget));
  }
  const returning = statements.length;
  statements.push(
    db
      .update(bootActionStatus)
      .set({ updated: now, ...(body.status ? { actionStatus: body.status } : {}) })
      .where(count > 0 ? and(isOpen, changedRows) : isOpen)
      .returning({
        action_id: bootActionStatus.actionId,
        action_name: bootActionStatus.actionName,
        node_name: bootActionStatus.nodeName,
        task_id: bootActionStatus.taskId,
        action_status: bootActionStatus.actionStatus,
      }),
  );
  const errors = body.details.filter((d) => d.error).length;
  if (errors > 0) {
    statements.push(
      db
        .update(tasks)
        .set({ resultErrorCount: errorCountPlus(errors), updated: now })
        .where(and(eq(tasks.taskId, action.taskId), changedRows)),
    );
  }
  // Last: the statements above read changes() of the one before them.
  if (count > 0) statements.push(insertMessageEvents(db, now.getTime()));
  // The first statement never reads changes(), so the batch may follow another report's in one transaction.
  const results = ctx.signalCommits ? await ctx.signalCommits.run(statements) : await runBatch(db, statements);
  // With RETURNING, count the rows (libSQL reports rowsAffected as 0).
  const row = (results[returning] as BootActionView[])[0];
  if (!row) throw await refusal(ctx, action, count);
  return row;
}

/** Why a report was not taken: the action is final or not signaling, or its messages would pass the budget. */
async function refusal(ctx: SignalContext, action: AuthenticatedAction, adding: number): Promise<ApiError> {
  const [state] = await ctx.db
    .select({ status: bootActionStatus.actionStatus, messages: sql<number>`${messagesOfAction(action)}` })
    .from(bootActionStatus)
    .where(eq(bootActionStatus.actionId, action.actionId));
  if (state && (OPEN_STATUSES as readonly string[]).includes(state.status)) {
    return new ApiError(
      'Conflict',
      `Boot action ${action.actionId} may keep at most ${ctx.config.BOOTACTION_MAX_MESSAGES} messages; it has ${state.messages} and this report adds ${adding}. ` +
        'Nothing of this report was stored; a report with only a status is still accepted.',
      { retry: false },
    );
  }
  if (state?.status === NOT_SIGNALING_STATUS) {
    return new ApiError('Conflict', `Action ${action.actionId} (${action.actionName}) is not a signaling boot action; it takes no reports.`, {
      retry: false,
    });
  }
  return new ApiError('Conflict', `Action ${action.actionId} status finalized, not available for update.`);
}
