import { eq } from 'drizzle-orm';
import { writeProbes } from './schema/health.ts';
import type { Db } from './types.ts';

/**
 * Proves that the database takes a write, and leaves nothing behind: a row
 * is inserted and deleted again in one batch (one transaction on D1 and on
 * libSQL), under a fresh id so probes of several instances never meet.
 *
 * Why not a write that is rolled back: D1 has no BEGIN/ROLLBACK, and a
 * single statement that fails (a constraint) takes the write lock, so it
 * notices a read-only file, but never writes a page, so a full disk would
 * pass it. This batch commits like any write of the API: it appends to the
 * WAL (or journal) and meets a full disk, a read-only file or an I/O error
 * just as they would.
 */
export async function probeWrite(db: Db): Promise<void> {
  const probeId = crypto.randomUUID();
  const batch = (db as unknown as { batch(items: readonly unknown[]): Promise<unknown[]> }).batch.bind(db);
  await batch([db.insert(writeProbes).values({ probeId }), db.delete(writeProbes).where(eq(writeProbes.probeId, probeId))]);
}
