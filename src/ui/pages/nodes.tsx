/** @jsxImportSource hono/jsx */
import type { NodeLastTask } from '../../services/node-activity.ts';
import type { MachineSummary } from '../../services/nodes.ts';
import { UI } from '../paths.ts';
import { Layout, Status } from './layout.tsx';

export interface NodesPageProps {
  user: string | null;
  csrf: string;
  machines: MachineSummary[];
  reportedAt: Date | null;
  /** Null when the user may not read tasks. */
  lastTasks: Map<string, NodeLastTask> | null;
}

export function LastTask(props: { last: NodeLastTask | undefined }) {
  if (!props.last) return <span class="muted">none</span>;
  return (
    <span>
      <a class="mono" href={`${UI}/tasks/${props.last.taskId}`}>{props.last.taskId}</a> <span class="muted">{props.last.at.toISOString()}</span>
    </span>
  );
}

/** The machines as the node driver (or the site agents' reports) know them; no BMC address or credential. */
export function NodesPage(props: NodesPageProps) {
  return (
    <Layout title="Nodes" user={props.user} csrf={props.csrf}>
      {props.reportedAt ? <p class="muted">As the site agents reported them at {props.reportedAt.toISOString()}.</p> : null}
      <table>
        <thead>
          <tr>
            <th>Node</th>
            <th>State</th>
            <th>Power</th>
            <th>Boot MAC</th>
            <th>Boot IP</th>
            <th>CPUs</th>
            <th>Memory</th>
            {props.lastTasks ? <th>Last task</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.machines.map((m) => (
            <tr>
              <td>
                <a href={`${UI}/nodes/${encodeURIComponent(m.hostname)}`}>{m.hostname}</a>
              </td>
              <td>
                <Status value={m.status_name} />
              </td>
              <td>{m.power_state ?? ''}</td>
              <td class="mono">{m.boot_mac ?? ''}</td>
              <td class="mono">{m.boot_ip ?? ''}</td>
              <td>{m.cpu_count ?? ''}</td>
              <td>{m.memory ?? ''}</td>
              {props.lastTasks ? (
                <td>
                  <LastTask last={props.lastTasks.get(m.hostname)} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {props.machines.length === 0 ? <p class="muted">No machines known yet.</p> : null}
    </Layout>
  );
}
