import * as v from 'valibot';
import { keyBytesOf } from './secret-box.ts';

/**
 * The service's whole configuration, read once from the environment (Workers
 * vars and secrets, or process env on Node/Deno). A bad value stops start-up
 * with a ConfigError that names the variable.
 */
// Only drivers this version ships are accepted, so a typo or a driver that
// does not exist yet stops start-up instead of failing the first task.
const DRIVERS = {
  node: ['fake', 'maas'],
  oob: ['fake', 'manual', 'redfish', 'ipmi', 'libvirt'],
  kubernetes: ['none', 'kubernetes', 'promenade'],
} as const;

const int = (name: string, fallback: number, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, `${name} must be a whole number`),
      v.transform(Number),
      v.minValue(min, `${name} must be at least ${min}`),
      v.maxValue(max, `${name} must be at most ${max}`),
    ),
    String(fallback),
  );

const bool = (name: string, fallback: 'true' | 'false') =>
  v.optional(
    v.pipe(v.picklist(['true', 'false'], `${name} must be true or false`), v.transform((x) => x === 'true')),
    fallback,
  );

const url = (name: string) =>
  v.optional(v.pipe(v.string(), v.url(`${name} must be an absolute URL`)));

const list = <T extends readonly string[]>(name: string, allowed: T, fallback: string) =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
      v.check(
        (xs) => xs.every((x) => (allowed as readonly string[]).includes(x)),
        `${name} accepts only: ${allowed.join(', ')}`,
      ),
    ),
    fallback,
  );

export const ConfigSchema = v.object({
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  PORT: int('PORT', 9000, 0, 65535),
  DATABASE_URL: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^(file:|libsql:|https?:|wss?:|:memory:$)/, 'DATABASE_URL must be a file:, libsql:, http(s): or ws(s): URL'),
    ),
    'file:.data/drydock.db',
  ),
  DATABASE_AUTH_TOKEN: v.optional(v.string()),
  DATABASE_BUSY_TIMEOUT_MS: int('DATABASE_BUSY_TIMEOUT_MS', 5000, 0, 600_000),
  // A local file's PRAGMA synchronous in WAL mode: normal (flush at checkpoints) or full (flush each commit).
  DATABASE_SYNCHRONOUS: v.optional(
    v.picklist(['normal', 'full'], 'DATABASE_SYNCHRONOUS must be one of: normal, full'),
    'normal',
  ),
  AUTH_MODE: v.optional(
    v.picklist(['token', 'keystone', 'none'], 'AUTH_MODE must be one of: token, keystone, none'),
    'token',
  ),
  AUTH_TOKENS: v.optional(v.string(), ''),
  ADMIN_TOKEN_FILE: v.optional(v.string(), '.data/admin-token'),
  // Stored designs are encrypted with this key (base64 of 32 bytes, e.g.
  // `openssl rand -base64 32`): their oob sections hold BMC credentials. A
  // secret; required on Workers. Node/Deno without it: DESIGN_KEY_FILE.
  DESIGN_ENCRYPTION_KEY: v.optional(
    v.pipe(v.string(), v.check((k) => keyBytesOf(k) !== null, 'DESIGN_ENCRYPTION_KEY must be 32 bytes in base64 (openssl rand -base64 32)')),
  ),
  // Node/Deno: the design key made on first start (0600) when DESIGN_ENCRYPTION_KEY is not set.
  DESIGN_KEY_FILE: v.optional(v.string(), '.data/design-key'),
  KEYSTONE_AUTH_URL: url('KEYSTONE_AUTH_URL'),
  KEYSTONE_USERNAME: v.optional(v.string()),
  KEYSTONE_PASSWORD: v.optional(v.string()),
  KEYSTONE_USER_DOMAIN_NAME: v.optional(v.string(), 'Default'),
  KEYSTONE_PROJECT_NAME: v.optional(v.string(), 'service'),
  KEYSTONE_PROJECT_DOMAIN_NAME: v.optional(v.string(), 'Default'),
  KEYSTONE_CACHE_TTL_SECONDS: int('KEYSTONE_CACHE_TTL_SECONDS', 300, 0, 86_400),
  KEYSTONE_NEGATIVE_CACHE_SECONDS: int('KEYSTONE_NEGATIVE_CACHE_SECONDS', 5, 0, 60),
  KEYSTONE_TIMEOUT_MS: int('KEYSTONE_TIMEOUT_MS', 5000, 100, 120_000),
  POLICY_FILE: v.optional(v.string()),
  POLICY_DOCUMENT: v.optional(v.string()),
  BOOTACTION_REPORT_URL: url('BOOTACTION_REPORT_URL'),
  // 0 turns the limit off.
  BOOTACTION_AUTH_FAILURES_PER_MINUTE: int('BOOTACTION_AUTH_FAILURES_PER_MINUTE', 30, 0, 1_000_000),
  // How long this process may answer a repeated node key check from memory (key-memory.ts); 0: never.
  BOOTACTION_KEY_CHECK_MEMORY_MS: int('BOOTACTION_KEY_CHECK_MEMORY_MS', 2000, 0, 10_000),
  BOOTACTION_CONTEXT_TTL_SECONDS: int('BOOTACTION_CONTEXT_TTL_SECONDS', 86_400, 60, 31_536_000),
  // Rendered tarballs kept per process/isolate by content address; 0 turns the cache off. A Worker has 128 MB.
  BOOTACTION_TARBALL_CACHE_MB: int('BOOTACTION_TARBALL_CACHE_MB', 32, 0, 4096),
  // A tarball with a `location` asset (content fetched from elsewhere) is kept at most this long; 0: never.
  BOOTACTION_LOCATION_CACHE_SECONDS: int('BOOTACTION_LOCATION_CACHE_SECONDS', 10, 0, 300),
  // Drydock's timeouts.bootaction_final_status: 15 minutes.
  BOOTACTION_FINAL_STATUS_TIMEOUT: int('BOOTACTION_FINAL_STATUS_TIMEOUT', 900, 1, 604_800),
  BOOTACTION_CLIENT_ADDRESS_HEADER: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9-]{1,64}$/, 'BOOTACTION_CLIENT_ADDRESS_HEADER must be a header name, e.g. X-Forwarded-For'),
    ),
  ),
  // Per boot action, over all its signals: each message is a row of the deploy task, shown with it.
  BOOTACTION_MAX_MESSAGES: int('BOOTACTION_MAX_MESSAGES', 200, 1, 1_000_000),
  BOOTACTION_MAX_MESSAGE_CHARS: int('BOOTACTION_MAX_MESSAGE_CHARS', 4096, 1, 1_048_576),
  BOOTACTION_DETAIL_MAX_DEPTH: int('BOOTACTION_DETAIL_MAX_DEPTH', 8, 0, 64),
  BOOTACTION_DETAIL_MAX_EXTRA_CHARS: int('BOOTACTION_DETAIL_MAX_EXTRA_CHARS', 4096, 2, 1_048_576),
  MAX_BODY_BYTES: int('MAX_BODY_BYTES', 1_048_576, 1, 1_073_741_824),
  // Recursive code (JSON.stringify, validators) overflows the stack a few thousand levels down.
  MAX_JSON_DEPTH: int('MAX_JSON_DEPTH', 64, 1, 1000),
  // A request body must arrive whole within this long from its first read (408 after).
  REQUEST_BODY_TIMEOUT_MS: int('REQUEST_BODY_TIMEOUT_MS', 30_000, 100, 3_600_000),
  DESIGN_FETCH_TIMEOUT_MS: int('DESIGN_FETCH_TIMEOUT_MS', 10_000, 100, 600_000),
  DESIGN_MAX_BYTES: int('DESIGN_MAX_BYTES', 16 * 1_048_576, 1, 1_073_741_824),
  DESIGN_FETCH_RETRIES: int('DESIGN_FETCH_RETRIES', 2, 0, 10),
  DESIGN_ALLOWED_HOSTS: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean)),
    ),
  ),
  // Node/Deno: file:// design refs may read only below this folder; unset, they are refused.
  DESIGN_FILE_ROOT: v.optional(
    v.pipe(v.string(), v.regex(/^\//, 'DESIGN_FILE_ROOT must be an absolute path (a folder of designs)')),
  ),
  DESIGN_CACHE_ENTRIES: int('DESIGN_CACHE_ENTRIES', 8, 0, 1000),
  DESIGN_MAX_DEPTH: int('DESIGN_MAX_DEPTH', 64, 8, 1000),
  DESIGN_MAX_NODES: int('DESIGN_MAX_NODES', 2_000_000, 100, 100_000_000),
  DESIGN_MAX_ALIASES: int('DESIGN_MAX_ALIASES', 100, 0, 100_000),
  DESIGN_PARSE_TIMEOUT_MS: int('DESIGN_PARSE_TIMEOUT_MS', 30_000, 100, 600_000),
  DESIGN_WORKER_MEMORY_MB: int('DESIGN_WORKER_MEMORY_MB', 512, 32, 16_384),
  DESIGN_PARSE_WORKERS: int('DESIGN_PARSE_WORKERS', 2, 1, 64),
  HEALTH_CHECK_TIMEOUT_MS: int('HEALTH_CHECK_TIMEOUT_MS', 3000, 10, 60_000),
  HEALTH_WRITE_PROBE_CACHE_MS: int('HEALTH_WRITE_PROBE_CACHE_MS', 2000, 0, 60_000),
  TASK_POLL_INTERVAL_SECONDS: int('TASK_POLL_INTERVAL_SECONDS', 10, 1, 3600),
  TASK_LEASE_SECONDS: int('TASK_LEASE_SECONDS', 60, 5, 3600),
  TASK_STEP_MAX_ATTEMPTS: int('TASK_STEP_MAX_ATTEMPTS', 6, 1, 100),
  TASK_STEP_RETRY_BASE_SECONDS: int('TASK_STEP_RETRY_BASE_SECONDS', 10, 1, 3600),
  // GET /tasks/{id}/events: how long one SSE response lasts before the client resumes with Last-Event-ID
  // (Workers' entry defaults it to 30: a request there should not hold an isolate for minutes), and how
  // often a waiting stream or long poll looks for new events.
  TASK_EVENTS_STREAM_SECONDS: int('TASK_EVENTS_STREAM_SECONDS', 600, 1, 3600),
  TASK_EVENTS_POLL_MS: int('TASK_EVENTS_POLL_MS', 500, 50, 10_000),
  // Site agents (docs/site-agent.md): how long a leased driver call stays with its agent unless renewed,
  // how recently an agent must have called to count as live, and the longest lease long poll.
  AGENT_LEASE_SECONDS: int('AGENT_LEASE_SECONDS', 60, 5, 3600),
  AGENT_LIVE_SECONDS: int('AGENT_LIVE_SECONDS', 90, 5, 86_400),
  // Under Workers' and proxies' idle limits; a lease request asks for at most this long (wait_seconds).
  AGENT_LEASE_WAIT_MAX_SECONDS: int('AGENT_LEASE_WAIT_MAX_SECONDS', 25, 0, 55),
  NODE_DRIVER: v.optional(
    v.picklist(DRIVERS.node, `NODE_DRIVER must be one of: ${DRIVERS.node.join(', ')}`),
    'fake',
  ),
  OOB_DRIVER: list('OOB_DRIVER', DRIVERS.oob, 'fake'),
  KUBERNETES_DRIVER: v.optional(
    v.picklist(DRIVERS.kubernetes, `KUBERNETES_DRIVER must be one of: ${DRIVERS.kubernetes.join(', ')}`),
    'none',
  ),
  // Where driver calls run: `local` (in this process) or `agent` (queued for the site's agent, which
  // leases and runs them inside the site: docs/site-agent.md). AGENT_SITES limits `agent` to those
  // sites (design Region names); empty: every site.
  DRIVER_LOCATION: v.optional(v.picklist(['local', 'agent'], 'DRIVER_LOCATION must be local or agent'), 'local'),
  AGENT_SITES: v.optional(
    v.pipe(v.string(), v.transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))),
    '',
  ),
  // A call no agent of its site leased within this long fails (the task says which site, and when an agent was last seen).
  AGENT_WAIT_TIMEOUT_SECONDS: int('AGENT_WAIT_TIMEOUT_SECONDS', 900, 1, 86_400),
  // Drydock's redfish_driver.power_state_change_retry_interval (10 s) and
  // power_state_change_max_retries (18): a power change has 3 minutes to show.
  OOB_POWER_POLL_MS: int('OOB_POWER_POLL_MS', 10_000, 50, 600_000),
  OOB_POWER_MAX_POLLS: int('OOB_POWER_MAX_POLLS', 18, 1, 10_000),
  // Each request to a BMC, connecting included: an unreachable BMC fails the call after this long.
  OOB_REQUEST_TIMEOUT_MS: int('OOB_REQUEST_TIMEOUT_MS', 10_000, 100, 300_000),
  // Node/Deno: a PEM bundle trusted for BMC certificates, besides the system's roots.
  REDFISH_CA_FILE: v.optional(v.pipe(v.string(), v.minLength(1))),
  // false: any BMC certificate is accepted (Drydock's behaviour); warned about at start.
  REDFISH_VERIFY_TLS: bool('REDFISH_VERIFY_TLS', 'true'),
  // KUBERNETES_DRIVER=kubernetes: the API server (e.g. https://10.0.0.10:6443) and a bearer token
  // (a secret: a service account's token allowed to get and patch nodes).
  KUBERNETES_API_URL: url('KUBERNETES_API_URL'),
  KUBERNETES_TOKEN: v.optional(v.pipe(v.string(), v.minLength(1))),
  // Node/Deno: a PEM bundle trusted for the API server's certificate (the cluster CA), besides the system's roots.
  KUBERNETES_CA_FILE: v.optional(v.pipe(v.string(), v.minLength(1))),
  // Each request to the API server or Promenade, connecting included.
  KUBERNETES_REQUEST_TIMEOUT_MS: int('KUBERNETES_REQUEST_TIMEOUT_MS', 10_000, 100, 300_000),
  // KUBERNETES_DRIVER=promenade: Promenade's base URL (Drydock found it in Keystone's catalog as
  // service type kubernetesprovisioner, internal interface; this service reads no catalog).
  PROMENADE_URL: url('PROMENADE_URL'),
  // NODE_DRIVER=maas: MAAS's API root (e.g. http://10.0.0.5:5240/MAAS) and an API key
  // (a secret: consumer_key:token_key:token_secret, from `maas apikey` or the user's preferences).
  MAAS_URL: url('MAAS_URL'),
  MAAS_API_KEY: v.optional(
    v.pipe(v.string(), v.regex(/^[^:\s]+:[^:\s]+:[^:\s]+$/, 'MAAS_API_KEY must be consumer_key:token_key:token_secret')),
  ),
  // Each request to MAAS, connecting included; and how often a refused (429, 503) or lost request is tried again.
  MAAS_REQUEST_TIMEOUT_MS: int('MAAS_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
  MAAS_RETRIES: int('MAAS_RETRIES', 3, 0, 20),
  // Drydock's maasdriver.poll_interval (10 s) and its timeouts.<action> minutes: how often a
  // commissioning, deploy or release is looked at, and how long each may take.
  MAAS_POLL_INTERVAL_MS: int('MAAS_POLL_INTERVAL_MS', 10_000, 10, 600_000),
  MAAS_COMMISSION_TIMEOUT_MINUTES: int('MAAS_COMMISSION_TIMEOUT_MINUTES', 30, 1, 1440),
  MAAS_DEPLOY_TIMEOUT_MINUTES: int('MAAS_DEPLOY_TIMEOUT_MINUTES', 45, 1, 1440),
  MAAS_DESTROY_TIMEOUT_MINUTES: int('MAAS_DESTROY_TIMEOUT_MINUTES', 30, 1, 1440),
  // Drydock's skip_bmc_config: commissioning leaves the BMC's users and network as they are (MAAS 2.7+).
  MAAS_SKIP_BMC_CONFIG: bool('MAAS_SKIP_BMC_CONFIG', 'false'),
  // Drydock's use_node_oob_params: identify_node sets an ipmi or redfish machine's power address and
  // login from the design's oob section, overwriting what MAAS discovered.
  MAAS_USE_NODE_OOB_PARAMS: bool('MAAS_USE_NODE_OOB_PARAMS', 'false'),
  // How a deploying node gets its boot action key: a `<node>__baid__<key>` tag (what Drydock's images
  // read; every MAAS user can list tags), a 0600 file written by cloud-init from the user data, or both.
  MAAS_BOOTACTION_KEY_DELIVERY: v.optional(
    v.picklist(['tag', 'user_data', 'both'], 'MAAS_BOOTACTION_KEY_DELIVERY must be one of: tag, user_data, both'),
    'both',
  ),
  // Node/Deno: the tools the ipmi and libvirt drivers run (a name on PATH, or a full path).
  IPMITOOL_PATH: v.optional(v.pipe(v.string(), v.minLength(1)), 'ipmitool'),
  VIRSH_PATH: v.optional(v.pipe(v.string(), v.minLength(1)), 'virsh'),
  // The RMCP+ cipher suite ipmitool asks the BMC for (ipmitool -C). 3 (HMAC-SHA1, AES-128) is what
  // Drydock's pyghmi speaks and nearly every BMC offers; without -C, ipmitool 1.8.19 first asks
  // for the BMC's suites, which BMCs that do not answer that cost every call ~10 s. 17: SHA-256.
  IPMI_CIPHER_SUITE: int('IPMI_CIPHER_SUITE', 3, 0, 17),
  FAKE_LAB_STEP_MS: int('FAKE_LAB_STEP_MS', 1000, 0, 3_600_000),
  FAKE_LAB_FAIL: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^\s*[^:,\s]+:(power|identify|commission|networking|storage|platform|deploy|release|bootaction)\s*(,\s*[^:,\s]+:(power|identify|commission|networking|storage|platform|deploy|release|bootaction)\s*)*$/,
        'FAKE_LAB_FAIL must be a comma-separated list of <node>:<step>, steps: power, identify, commission, networking, storage, platform, deploy, release, bootaction',
      ),
    ),
  ),
  // The simulated nodes fetch their boot action files and signal (off: a person or another program plays the node).
  FAKE_LAB_AGENT: v.optional(v.picklist(['on', 'off'], 'FAKE_LAB_AGENT must be on or off'), 'on'),
  // Node/Deno only: where each simulated machine keeps its node key and unpacked boot action files.
  FAKE_LAB_DISK_DIR: v.optional(v.pipe(v.string(), v.minLength(1))),
  // This service's own base URL, as nodes reach it (simulated nodes, default report_url).
  PUBLIC_URL: url('PUBLIC_URL'),
  LOG_LEVEL: v.optional(
    v.picklist(['debug', 'info', 'warn', 'error'], 'LOG_LEVEL must be one of: debug, info, warn, error'),
    'info',
  ),
});

export type Config = v.InferOutput<typeof ConfigSchema>;

/** Every site's driver calls run at its agents (DRIVER_LOCATION=agent, no AGENT_SITES): this process reaches no site. */
export const everyCallAtAgents = (config: Pick<Config, 'DRIVER_LOCATION' | 'AGENT_SITES'>) =>
  config.DRIVER_LOCATION === 'agent' && config.AGENT_SITES.length === 0;

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`invalid configuration: ${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Picks the known variables out of an environment and validates them. */
export function loadConfig(env: Record<string, unknown>): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.entries)) {
    const value = env[key];
    // An empty variable means "unset", as shells and .env files commonly write it.
    if (typeof value === 'string' && value !== '') raw[key] = value;
  }
  const result = v.safeParse(ConfigSchema, raw);
  if (!result.success) {
    const issue = result.issues[0];
    const variable = issue.path?.map((p) => String(p.key)).join('.') ?? 'environment';
    throw new ConfigError(variable, issue.message);
  }
  const config = result.output;
  if (config.AUTH_MODE === 'keystone') {
    for (const name of ['KEYSTONE_AUTH_URL', 'KEYSTONE_USERNAME', 'KEYSTONE_PASSWORD'] as const) {
      if (!config[name]) throw new ConfigError(name, 'required when AUTH_MODE=keystone');
    }
  }
  // With every driver call at the site's agent, the drivers' own settings (MAAS key, tokens) stay there.
  const atAgent = everyCallAtAgents(config);
  if (config.NODE_DRIVER === 'maas' && !atAgent) {
    for (const name of ['MAAS_URL', 'MAAS_API_KEY'] as const) {
      if (!config[name]) throw new ConfigError(name, 'required when NODE_DRIVER=maas');
    }
  }
  if (config.KUBERNETES_DRIVER === 'kubernetes' && !atAgent) {
    for (const name of ['KUBERNETES_API_URL', 'KUBERNETES_TOKEN'] as const) {
      if (!config[name]) throw new ConfigError(name, 'required when KUBERNETES_DRIVER=kubernetes');
    }
  }
  if (config.KUBERNETES_DRIVER === 'promenade' && !atAgent) {
    for (const name of ['PROMENADE_URL', 'KEYSTONE_AUTH_URL', 'KEYSTONE_USERNAME', 'KEYSTONE_PASSWORD'] as const) {
      if (!config[name]) throw new ConfigError(name, 'required when KUBERNETES_DRIVER=promenade (Promenade takes a Keystone token)');
    }
  }
  return config;
}
