import { createClient } from '@libsql/client';
import type { MaasSimulator } from '../maas/simulator.ts';
import { AGENT_ENTRY, spawnProcess, type Spawned } from './spawn.ts';

/** `tsx src/agent.ts` for site east-lab with the MAAS driver's settings pointing at `sim`. */
export function spawnMaasAgent(
  edgeUrl: string,
  token: string,
  sim: MaasSimulator,
  spoolDir: string,
  vars: Record<string, string> = {},
): Spawned {
  return spawnProcess(AGENT_ENTRY, {
    EDGE_URL: edgeUrl, AGENT_TOKEN: token, SITE: 'east-lab', AGENT_SPOOL_DIR: spoolDir,
    NODE_DRIVER: 'maas', MAAS_URL: sim.url, MAAS_API_KEY: sim.apiKey, MAAS_POLL_INTERVAL_MS: '200',
    MAAS_REQUEST_TIMEOUT_MS: '60000', FAKE_LAB_STEP_MS: '0', ...vars,
  });
}

export interface DriverCallRow {
  node: string;
  action: string;
  state: string;
  attempts: number;
  agent: string | null;
  taken: boolean;
}

/** The driver calls in the edge's libSQL file queued at or after `since` (of any task: they belong to subtasks), oldest first. */
export async function driverCallRows(databaseFile: string, since = new Date(0)): Promise<DriverCallRow[]> {
  const db = createClient({ url: `file:${databaseFile}` });
  try {
    const rows = await db.execute({
      sql: `select node_name, action, state, attempts, lease_agent, taken from driver_calls
            where created >= ? order by created, seq`,
      args: [since.getTime()],
    });
    return rows.rows.map((r) => ({
      node: String(r.node_name), action: String(r.action), state: String(r.state), attempts: Number(r.attempts),
      agent: r.lease_agent === null ? null : String(r.lease_agent), taken: r.taken !== null,
    }));
  } finally {
    db.close();
  }
}
