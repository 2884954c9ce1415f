/** @jsxImportSource hono/jsx */
import type { DrydockTask } from '../../services/tasks/index.ts';
import { UI } from '../paths.ts';
import { CsrfField, Layout, Status } from './layout.tsx';

export interface TasksPageProps {
  user: string | null;
  csrf: string;
  tasks: DrydockTask[];
  nextCursor: string | null;
  actions: readonly string[];
  designRefs: string[];
  /** The page was reached by paging (a link back to the newest). */
  paged: boolean;
}

export function NewTaskForm(props: { csrf: string; actions: readonly string[]; designRefs: string[] }) {
  return (
    <form method="post" action={`${UI}/tasks`} class="card">
      <h2>New task</h2>
      <CsrfField csrf={props.csrf} />
      <label>
        Action
        <select name="action">
          {props.actions.map((a) => (
            <option value={a}>{a}</option>
          ))}
        </select>
      </label>
      <label>
        Design ref
        <input type="text" name="design_ref" list="design-refs" placeholder="design://… or deckhand+https://…" required />
      </label>
      <datalist id="design-refs">
        {props.designRefs.map((r) => (
          <option value={r} />
        ))}
      </datalist>
      <label>
        Nodes (names, comma-separated; empty: every node of the design)
        <input type="text" name="node_names" />
      </label>
      <label>
        Node tags (comma-separated)
        <input type="text" name="node_tags" />
      </label>
      <button type="submit">Create task</button>
    </form>
  );
}

export function TasksPage(props: TasksPageProps) {
  return (
    <Layout title="Tasks" user={props.user} csrf={props.csrf}>
      <NewTaskForm csrf={props.csrf} actions={props.actions} designRefs={props.designRefs} />
      <table>
        <thead>
          <tr>
            <th>Task</th>
            <th>Action</th>
            <th>Status</th>
            <th>Result</th>
            <th>Created</th>
            <th>By</th>
            <th>Design</th>
          </tr>
        </thead>
        <tbody>
          {props.tasks.map((t) => (
            <tr>
              <td>
                <a class="mono" href={`${UI}/tasks/${t.task_id}`}>{t.task_id}</a>
              </td>
              <td>{t.action}</td>
              <td>
                <Status value={t.status} />
              </td>
              <td>
                <Status value={t.result.status} />
              </td>
              <td>{t.created}</td>
              <td>{t.created_by ?? ''}</td>
              <td class="mono">{t.design_ref ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.tasks.length === 0 ? <p class="muted">No tasks yet.</p> : null}
      <p class="pager">
        {props.paged ? <a href={`${UI}/tasks`}>Newest</a> : null}
        {props.nextCursor ? <a href={`${UI}/tasks?cursor=${encodeURIComponent(props.nextCursor)}`}>Older tasks</a> : null}
      </p>
    </Layout>
  );
}
