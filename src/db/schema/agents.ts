import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Site agents: processes at a site that lease the driver calls meant for it
 * (DRIVER_LOCATION=agent) and post their results. An agent's token is shown
 * once when an admin creates it; only its SHA-256 digest is kept. A revoked
 * agent keeps its row (who it was, when it was last seen).
 */
export const agents = sqliteTable(
  'agents',
  {
    agentId: text('agent_id').primaryKey(),
    name: text('name').notNull(),
    /** The design's Site (region) name whose calls this agent may lease. */
    site: text('site').notNull(),
    tokenDigest: text('token_digest').notNull(),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
    revoked: integer('revoked', { mode: 'timestamp_ms' }),
    lastSeen: integer('last_seen', { mode: 'timestamp_ms' }),
    /** What the agent said in its last heartbeat (JSON: version, drivers, tools). */
    reported: text('reported', { mode: 'json' }),
  },
  (t) => [uniqueIndex('agents_token_digest_idx').on(t.tokenDigest), index('agents_site_idx').on(t.site)],
);

/**
 * A driver call the orchestrator wants run at a site: one row per call of
 * a driver step for a node (or the site), numbered per task, node and
 * action. Queued until an agent of the site leases it; a lease expires
 * unless renewed, and the call is queued again; the first result posted
 * under a live lease is the call's result, kept until the orchestrator
 * takes it (`taken`).
 */
export const driverCalls = sqliteTable(
  'driver_calls',
  {
    callId: text('call_id').primaryKey(),
    site: text('site').notNull(),
    taskId: text('task_id').notNull(),
    /** '' for a site-wide action. */
    nodeName: text('node_name').notNull(),
    action: text('action').notNull(),
    /** Which driver runs it at the site: `node`, `oob:<name>` or `kubernetes`. */
    driver: text('driver').notNull(),
    seq: integer('seq').notNull(),
    /** What the agent needs besides the design (JSON: the pinned design's hash, the driver's memo). */
    request: text('request', { mode: 'json' }).notNull(),
    /** queued, leased or done. */
    state: text('state').notNull(),
    leaseId: text('lease_id'),
    leaseAgent: text('lease_agent'),
    leaseExpires: integer('lease_expires', { mode: 'timestamp_ms' }),
    attempts: integer('attempts').notNull().default(0),
    /** The driver's answer (JSON Progress), once done. */
    result: text('result', { mode: 'json' }),
    created: integer('created', { mode: 'timestamp_ms' }).notNull(),
    finished: integer('finished', { mode: 'timestamp_ms' }),
    taken: integer('taken', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('driver_calls_step_idx').on(t.taskId, t.nodeName, t.action, t.seq),
    index('driver_calls_site_state_idx').on(t.site, t.state, t.created),
  ],
);
