/** @jsxImportSource hono/jsx */
import type { MachineSummary } from '../../services/nodes.ts';
import { UI } from '../paths.ts';
import { Layout, Status } from './layout.tsx';

export interface NodesPageProps {
  user: string | null;
  csrf: string;
  machines: MachineSummary[];
  reportedAt: Date | null;
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
            </tr>
          ))}
        </tbody>
      </table>
      {props.machines.length === 0 ? <p class="muted">No machines known yet.</p> : null}
    </Layout>
  );
}
