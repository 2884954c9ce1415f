/** @jsxImportSource hono/jsx */
import type { DrydockTask } from '../../services/tasks/index.ts';
import { UI } from '../paths.ts';
import { CsrfField, Layout, Status } from './layout.tsx';

/** The node names of a node subtask's filter (what the orchestrator writes), when it names them. */
function nodesOf(task: DrydockTask): string[] {
  const filter = task.node_filter as { filter_set?: Array<{ node_names?: unknown }> } | null;
  const names = filter?.filter_set?.length === 1 ? filter.filter_set[0]!.node_names : null;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
}

const FINAL = new Set(['complete', 'terminated']);
/** Longer message lists start folded, so the tree stays readable. */
const OPEN_MESSAGES = 4;

function TaskNode(props: { task: DrydockTask; tasks: Map<string, DrydockTask> }) {
  const { task } = props;
  const nodes = nodesOf(task);
  const messages = task.result.details.messageList;
  const errors = task.result.details.errorCount;
  return (
    <li data-task-id={task.task_id}>
      <div class="task-head">
        <strong>{task.action}</strong>
        {nodes.length > 0 && nodes.length <= 3 ? <span class="mono">{nodes.join(', ')}</span> : null}
        <Status value={task.status} />
        <span class="muted">result</span>
        <Status value={task.result.status} />
        <span class="phase"></span>
        <span class="mono muted">{task.task_id}</span>
      </div>
      {messages.length > 0 ? (
        <details class="messages-box" open={messages.length <= OPEN_MESSAGES}>
          <summary class="muted">
            {messages.length} message{messages.length === 1 ? '' : 's'}
            {errors > 0 ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}
          </summary>
          <ul class="messages">
            {messages.map((m) => (
              <li class={m.error ? 'msg-error' : ''}>
                {m.context && m.context !== task.task_id ? <span class="mono">{m.context}: </span> : null}
                {m.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {task.subtask_id_list.length > 0 ? (
        <ul>
          {task.subtask_id_list.map((id) => {
            const sub = props.tasks.get(id);
            return sub ? <TaskNode task={sub} tasks={props.tasks} /> : null;
          })}
        </ul>
      ) : null}
    </li>
  );
}

export interface TaskPageProps {
  user: string | null;
  csrf: string;
  root: DrydockTask;
  tasks: Map<string, DrydockTask>;
  eventsUrl: string;
}

/** A task and every subtask below it; app.js keeps it live, a reload shows the current state. */
export function TaskPage(props: TaskPageProps) {
  const { root } = props;
  const final = FINAL.has(root.status);
  return (
    <Layout title={`Task ${root.action}`} user={props.user} csrf={props.csrf} live={!final}>
      <p>
        <span class="mono">{root.task_id}</span> · design <span class="mono">{root.design_ref ?? '—'}</span> · created {root.created}
        {root.created_by ? ` by ${root.created_by}` : ''} <span id="live">{final ? '' : 'reload for the current state'}</span>
      </p>
      <ul class="tree" id="task-tree" data-events={props.eventsUrl} data-finished={final ? 'true' : 'false'}>
        <TaskNode task={root} tasks={props.tasks} />
      </ul>
      {!final && !root.terminate ? (
        <form method="post" action={`${UI}/tasks/${root.task_id}/terminate`} id="terminate">
          <CsrfField csrf={props.csrf} />
          <button type="submit">Terminate</button>
        </form>
      ) : null}
    </Layout>
  );
}
