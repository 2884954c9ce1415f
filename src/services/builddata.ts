/**
 * Build data: what drivers collected from a node while building it (lshw
 * output and the like), read back per node or per task in Drydock's
 * BuildData form (objects/builddata.py to_dict), which the API seed documents.
 */
import { and, desc, eq, gt, inArray, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { buildData } from '../db/schema/builddata.ts';
import type { Db } from '../db/types.ts';
import { chunked } from '../db/chunks.ts';

export interface DrydockBuildData {
  node_name: string;
  task_id: string;
  /** ISO 8601 UTC; Drydock prints Python's str(datetime) here, the seed says ISO 8601. */
  collected_date: string;
  generator: string;
  data_format: string;
  data_element: string;
}

type BuildDataRow = typeof buildData.$inferSelect;

export function toDrydockBuildData(row: BuildDataRow): DrydockBuildData {
  return {
    node_name: row.nodeName,
    task_id: row.taskId,
    collected_date: row.collectedDate.toISOString(),
    generator: row.generator,
    data_format: row.dataFormat,
    data_element: row.dataElement,
  };
}

// Newest first; the id breaks ties between records collected in the same millisecond.
const NEWEST_FIRST = [desc(buildData.collectedDate), desc(buildData.id)] as const;

/**
 * A node's build data, newest first. With `latest`, only the newest record of
 * each generator, in one statement: a record is kept when no newer record of
 * its generator exists (the node/generator/date index answers that probe).
 * Drydock used Postgres' DISTINCT ON, ordered by generator; here the order is
 * newest first in both modes.
 */
export async function listNodeBuildData(db: Db, nodeName: string, latest: boolean): Promise<DrydockBuildData[]> {
  const forNode = eq(buildData.nodeName, nodeName);
  let where = forNode;
  if (latest) {
    const newer = alias(buildData, 'newer');
    const newerExists = db
      .select({ one: sql`1` })
      .from(newer)
      .where(
        and(
          eq(newer.nodeName, buildData.nodeName),
          eq(newer.generator, buildData.generator),
          or(
            gt(newer.collectedDate, buildData.collectedDate),
            and(eq(newer.collectedDate, buildData.collectedDate), gt(newer.id, buildData.id)),
          ),
        ),
      );
    where = and(forNode, notExists(newerExists))!;
  }
  const rows = await db.select().from(buildData).where(where).orderBy(...NEWEST_FIRST);
  return rows.map(toDrydockBuildData);
}

/** Build data collected by each of the given tasks, newest first per task. */
export async function buildDataByTask(db: Db, taskIds: readonly string[]): Promise<Map<string, DrydockBuildData[]>> {
  const out = new Map<string, DrydockBuildData[]>();
  for (const ids of chunked([...new Set(taskIds)])) {
    const rows = await db.select().from(buildData).where(inArray(buildData.taskId, ids)).orderBy(...NEWEST_FIRST);
    for (const row of rows) {
      const list = out.get(row.taskId) ?? [];
      list.push(toDrydockBuildData(row));
      out.set(row.taskId, list);
    }
  }
  return out;
}

/** One task's build data, newest first. */
export async function listTaskBuildData(db: Db, taskId: string): Promise<DrydockBuildData[]> {
  return (await buildDataByTask(db, [taskId])).get(taskId) ?? [];
}
