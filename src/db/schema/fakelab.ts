import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The fake lab's simulated machines. Kept in the database, not in memory, so
 * every instance (isolates, processes) sees the same lab.
 */
export const fakeLabMachines = sqliteTable('fake_lab_machines', {
  nodeName: text('node_name').primaryKey(),
  /** MAAS-style provisioning state: New, Commissioning, Ready, Deploying, Deployed, Failed, Releasing */
  status: text('status').notNull().default('New'),
  powerState: text('power_state').notNull().default('off'),
  bootDevice: text('boot_device').notNull().default('disk'),
  /** The operation in progress (a driver action name) and when it started. */
  operation: text('operation'),
  operationStarted: integer('operation_started', { mode: 'timestamp_ms' }),
  bootMac: text('boot_mac'),
  bootIp: text('boot_ip'),
  powerAddress: text('power_address'),
  memoryMb: integer('memory_mb'),
  cpuCount: integer('cpu_count'),
  /** Driver-specific details (applied networking, storage, platform ...). */
  detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
  updated: integer('updated', { mode: 'timestamp_ms' }).notNull(),
});
