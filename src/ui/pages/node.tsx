/** @jsxImportSource hono/jsx */
import type { DrydockBuildData } from '../../services/builddata.ts';
import type { BootActionState } from '../../services/bootactions/status.ts';
import type { NodeLastTask } from '../../services/node-activity.ts';
import type { MachineSummary } from '../../services/nodes.ts';
import { UI } from '../paths.ts';
import { Layout, Status } from './layout.tsx';
import { LastTask } from './nodes.tsx';

export interface NodePageProps {
  user: string | null;
  csrf: string;
  hostname: string;
  machine: MachineSummary | null;
  /** Null where the user's role may not read them (the policy rule of the API's route). */
  lastTask: NodeLastTask | undefined | null;
  buildData: DrydockBuildData[] | null;
  bootActions: BootActionState[] | null;
}

function BootActions(props: { actions: BootActionState[] }) {
  if (props.actions.length === 0) return <p class="muted">No boot actions delivered to this node.</p>;
  return (
    <table id="boot-actions">
      <thead>
        <tr>
          <th>Action</th>
          <th>Status</th>
          <th>Task</th>
          <th>Updated</th>
          <th>Messages</th>
        </tr>
      </thead>
      <tbody>
        {props.actions.map((a) => (
          <tr>
            <td>
              {a.action_name} <div class="mono muted">{a.action_id}</div>
            </td>
            <td>
              <Status value={a.action_status} />
            </td>
            <td>
              <a class="mono" href={`${UI}/tasks/${a.task_id}`}>{a.task_id}</a>
            </td>
            <td>{a.updated ?? a.created}</td>
            <td>
              <ul class="messages">
                {a.messages.map((m) => (
                  <li class={m.error ? 'msg-error' : ''}>{m.message}</li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One node: the driver's view of it, its last task, build data and boot actions. */
export function NodePage(props: NodePageProps) {
  const m = props.machine;
  return (
    <Layout title={`Node ${props.hostname}`} user={props.user} csrf={props.csrf}>
      {m ? (
        <p>
          State <Status value={m.status_name} /> · power {m.power_state ?? 'unknown'} · boot MAC <span class="mono">{m.boot_mac ?? '—'}</span> · boot IP{' '}
          <span class="mono">{m.boot_ip ?? '—'}</span>
        </p>
      ) : (
        <p class="muted">The node driver does not know this node.</p>
      )}
      {props.lastTask !== null ? (
        <p>
          Last task: <LastTask last={props.lastTask} />
        </p>
      ) : null}
      {props.bootActions ? (
        <section>
          <h2>Boot actions</h2>
          <BootActions actions={props.bootActions} />
        </section>
      ) : null}
      {props.buildData ? (
        <section>
          <h2>Build data (newest of each generator)</h2>
          {props.buildData.length === 0 ? <p class="muted">None collected.</p> : null}
          {props.buildData.map((b) => (
            <details>
              <summary>
                {b.generator} · {b.data_format} · {b.collected_date} · task <span class="mono">{b.task_id}</span>
              </summary>
              <pre>{b.data_element}</pre>
            </details>
          ))}
        </section>
      ) : null}
    </Layout>
  );
}
