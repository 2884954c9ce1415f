import { ConfigError } from '../core/config.ts';

/**
 * The agent's own settings (docs/site-agent.md); the drivers' settings
 * (NODE_DRIVER, OOB_DRIVER, MAAS_*, …) are the service's, read by loadConfig.
 * A bad value stops the agent at start with a ConfigError naming it; the
 * token's value never appears in one.
 */
export interface AgentSettings {
  /** The edge's base URL (the API's origin, without /api/v1.0). */
  edgeUrl: string;
  token: string;
  /** The design's Site (region) name this agent serves. */
  site: string;
  spoolDir: string;
  /** How many leased calls run at once (AGENT_MAX_CALLS). */
  maxCalls: number;
  /** How often the node driver's inventory is read and, when changed, reported (AGENT_INVENTORY_SECONDS; 0: never). */
  inventorySeconds: number;
}

/**
 * Four calls at once by default. The orchestrator steps a task's nodes side
 * by side, so their calls are independent; one at a time, a single slow call
 * (a BMC taking its time over a power change, polled for up to
 * OOB_POWER_MAX_POLLS × OOB_POWER_POLL_MS) holds every other node's call
 * behind it. Four keeps what one agent asks of MAAS and the BMCs at once to
 * a handful; the edge leases at most 10 per request (its `max`).
 */
export const DEFAULT_MAX_CALLS = 4;
export const MAX_CALLS_LIMIT = 10;

const value = (env: Record<string, string | undefined>, name: string) => {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
};

export function agentSettingsOf(env: Record<string, string | undefined>): AgentSettings {
  const edgeUrl = value(env, 'EDGE_URL');
  if (!edgeUrl) throw new ConfigError('EDGE_URL', 'is required: the edge the agent leases calls from (e.g. https://drydock.example.com)');
  let parsed: URL;
  try {
    parsed = new URL(edgeUrl);
  } catch {
    throw new ConfigError('EDGE_URL', 'must be an absolute http(s) URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ConfigError('EDGE_URL', 'must be an absolute http(s) URL');
  if (parsed.username || parsed.password) throw new ConfigError('EDGE_URL', 'must not carry credentials; the agent authenticates with AGENT_TOKEN');
  const token = value(env, 'AGENT_TOKEN');
  if (!token) throw new ConfigError('AGENT_TOKEN', 'is required: the token an admin created with POST /api/v1.0/agents');
  // It goes into a header: a line break or a space would be a broken (or injected) header.
  if (!/^[\x21-\x7e]+$/.test(token)) throw new ConfigError('AGENT_TOKEN', 'must be printable ASCII without spaces');
  const site = value(env, 'SITE');
  if (!site) throw new ConfigError('SITE', "is required: the design's Site name whose calls this agent runs");
  // eslint-disable-next-line no-control-regex
  if (site.length > 253 || /[\x00-\x1f\x7f]/.test(site)) throw new ConfigError('SITE', 'must be 1-253 characters without control characters');
  const maxCalls = value(env, 'AGENT_MAX_CALLS') ?? String(DEFAULT_MAX_CALLS);
  if (!/^\d{1,2}$/.test(maxCalls) || Number(maxCalls) < 1 || Number(maxCalls) > MAX_CALLS_LIMIT) {
    throw new ConfigError('AGENT_MAX_CALLS', `must be a whole number from 1 to ${MAX_CALLS_LIMIT} (the calls one lease may take)`);
  }
  const inventory = value(env, 'AGENT_INVENTORY_SECONDS') ?? '60';
  if (!/^\d{1,5}$/.test(inventory) || Number(inventory) > 86_400) {
    throw new ConfigError('AGENT_INVENTORY_SECONDS', 'must be a whole number of seconds, 0-86400 (0: the inventory is not reported)');
  }
  return {
    edgeUrl: parsed.href.replace(/\/+$/, ''),
    token,
    site,
    spoolDir: value(env, 'AGENT_SPOOL_DIR') ?? '.data/agent-spool',
    maxCalls: Number(maxCalls),
    inventorySeconds: Number(inventory),
  };
}
