/**
 * The statements that write task events (schema/events.ts), each one
 * INSERT … SELECT however many rows it records, added to the batch of the
 * change they record. The task's state is read back from its row as the
 * batch left it, so an event says what was saved.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './types.ts';

/** A task's tree: its parent's root (read from the parent's first event), or itself at the top. */
const rootOf = sql`case when t.parent_task_id is null then t.task_id
  else coalesce((select e.root_task_id from task_events as e where e.task_id = t.parent_task_id order by e.seq limit 1),
                t.parent_task_id) end`;

// A node subtask's filter names its nodes (orchestrator/task-store.ts nodeFilterOf); one node is the task's node.
// CASE is lazy in SQLite: json_* never sees a filter that is not JSON.
const nodeOf = sql`case when t.parent_task_id is null or not json_valid(t.node_filter) then null
  when json_array_length(t.node_filter, '$.filter_set[0].node_names') = 1
  then json_extract(t.node_filter, '$.filter_set[0].node_names[0]') end`;

// Unchanged since the task's last event: nothing to record (a step that only polled again).
const unchanged = sql`exists (select 1 from (select status, phase, result_status, result_successes, result_failures
    from task_events where task_id = t.task_id and type = 'task' order by seq desc limit 1) as last
  where last.status is t.status and last.phase is t.step and last.result_status is t.result_status
    and last.result_successes is t.result_successes and last.result_failures is t.result_failures)`;

/** A task event for each task `where` selects (alias t) whose status, phase or result changed since its last one. */
export function insertTaskEvents(db: Db, where: SQL, at: number) {
  return db.run(sql`insert into task_events (root_task_id, task_id, type, ts, node, parent_task_id, action, status, phase,
                                             result_status, result_successes, result_failures)
    select ${rootOf}, t.task_id, 'task', ${at}, ${nodeOf}, t.parent_task_id, t.action, t.status, t.step,
           t.result_status, t.result_successes, t.result_failures
    from tasks as t where (${where}) and not ${unchanged} order by t.created, t.task_id`);
}

/**
 * A message event for each result message written at `at` after the last
 * one an event refers to: the messages this batch just wrote, since every
 * writer of messages adds this statement to its batch (batches are
 * serialised transactions on D1 and libSQL). The time bound keeps messages
 * older than the table's first events out.
 */
export function insertMessageEvents(db: Db, at: number) {
  return db.run(sql`insert into task_events (root_task_id, task_id, type, ts, node, message_seq)
    select coalesce((select e.root_task_id from task_events as e where e.task_id = m.task_id order by e.seq limit 1), m.task_id),
           m.task_id, 'message', m.ts,
           case m.context_type when 'node' then m.context
             when 'bootaction' then (select b.node_name from boot_action_status as b where b.action_id = m.context) end,
           m.sequence
    from result_messages as m
    where m.sequence > coalesce((select max(message_seq) from task_events), 0) and m.ts = ${at}
    order by m.sequence`);
}
