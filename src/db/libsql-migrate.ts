import type { Client, InStatement } from '@libsql/client';
import { readMigrationFiles } from 'drizzle-orm/migrator';

/**
 * Applies the drizzle-kit migrations to a libSQL database (file or sqld) so
 * that instances starting at once on a new database each either apply them
 * or find them applied. drizzle's own migrate() reads the applied list, then
 * applies the rest in a deferred transaction: two instances both read "none
 * applied", and the second fails with "table … already exists".
 *
 * Here the pending migrations run in one write batch (BEGIN IMMEDIATE: a
 * second instance waits for the first to commit) whose first statement
 * re-checks, under that lock, that the applied list is still the one read;
 * if another instance got there first the batch fails before changing
 * anything, and the list is read again. A batch, not an interactive
 * transaction: it holds the lock only while it runs, also over HTTP to sqld.
 *
 * The bookkeeping is drizzle's: the same __drizzle_migrations table, rows
 * and hashes, so databases migrated by either keep working with both.
 */
const TABLE = '"__drizzle_migrations"';
const ATTEMPTS = 5;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  id SERIAL PRIMARY KEY,
  hash text NOT NULL,
  created_at numeric
)`;
const LAST_APPLIED = `SELECT coalesce(max(created_at), -1) AS last FROM ${TABLE}`;
// SQLite has no way to raise an error from a plain statement; json() of
// malformed text does, and CASE evaluates it only when the check fails.
const STILL_LAST_APPLIED = `SELECT CASE WHEN (${LAST_APPLIED}) = ? THEN 1 ELSE json('migrations applied meanwhile') END`;

async function lastApplied(client: Client): Promise<number> {
  const { rows } = await client.execute(LAST_APPLIED);
  return Number(rows[0]?.last ?? -1);
}

export async function migrateLibsql(client: Client, migrationsFolder: string): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder });
  await client.execute(CREATE_TABLE);
  for (let attempt = 1; ; attempt++) {
    const last = await lastApplied(client);
    const pending = migrations.filter((m) => m.folderMillis > last);
    if (pending.length === 0) return;
    const statements: InStatement[] = [{ sql: STILL_LAST_APPLIED, args: [last] }];
    for (const migration of pending) {
      for (const text of migration.sql) if (text.trim()) statements.push(text);
      statements.push({
        sql: `INSERT INTO ${TABLE} ("hash", "created_at") VALUES (?, ?)`,
        args: [migration.hash, migration.folderMillis],
      });
    }
    try {
      await client.batch(statements, 'write');
      return;
    } catch (err) {
      // Whatever failed, someone may have applied them meanwhile (the guard,
      // or DDL racing an instance that runs drizzle's own migrate()).
      if ((await lastApplied(client)) === last || attempt === ATTEMPTS) throw err;
    }
  }
}
