import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * What a site's agent last reported of its node driver (docs/site-agent.md,
 * POST /agents/inventory): the machines as GET /nodes shows them and the boot
 * images with their kernels. An edge whose driver calls all run at agents
 * cannot ask MAAS; it answers GET /nodes and Platform Selection (DD3001)
 * from here. One row per site: the newest reading wins, whichever agent of
 * the site took it.
 */
export const siteInventory = sqliteTable('site_inventory', {
  site: text('site').primaryKey(),
  /** The agent whose reading this is. */
  agentId: text('agent_id').notNull(),
  /** The agent's node driver (`maas`, `fake`). */
  nodeDriver: text('node_driver').notNull(),
  /** When the agent read its driver (edge time: the agent corrects its clock by the heartbeat's server_time). */
  taken: integer('taken', { mode: 'timestamp_ms' }).notNull(),
  /** When the edge stored it. */
  received: integer('received', { mode: 'timestamp_ms' }).notNull(),
  /** JSON: the MachineSummary list. */
  machines: text('machines', { mode: 'json' }).notNull(),
  /** JSON: image name -> kernels. */
  bootImages: text('boot_images', { mode: 'json' }).notNull(),
});
