/**
 * One unfinished node task per node. Drydock let a second deploy_nodes run
 * over nodes a first one was deploying: the second replaced the first's boot
 * action keys and the first waited for reports that could no longer come.
 * Here prepare_nodes, deploy_nodes and destroy_nodes claim their target
 * nodes (node_claims, keyed by node) in the batch that inserts the task, so
 * of two such requests at once only one commits; the other answers 409
 * naming the task that holds the nodes. The task's final save releases them.
 */
import { and, asc, inArray, sql } from 'drizzle-orm';
import { API_PREFIX } from '../../core/app-paths.ts';
import { nodeClaims } from '../../db/schema/node-claims.ts';
import { tasks } from '../../db/schema/tasks.ts';
import type { Db } from '../../db/types.ts';
import { parseNodeFilter, selectNodes } from '../../design/filters.ts';
import { ApiError } from '../../core/errors.ts';
import { runBatch } from '../../db/batch.ts';
import { LIVE_STATUSES } from '../../orchestrator/types.ts';
import { insertTask, type TaskRow } from '../../orchestrator/task-store.ts';
import { insertTaskEvents } from '../../db/task-events.ts';
import type { TopLevelAction } from '../../orchestrator/types.ts';
import { storeDesignText } from '../../design/store.ts';
import { designFormatOf, readDesign, siteOrThrow } from '../../design/site-design.ts';
import { chunked } from '../../db/chunks.ts';
import type { ServiceContext } from '../context.ts';

export const CLAIMING_ACTIONS: ReadonlySet<TopLevelAction> = new Set(['prepare_nodes', 'deploy_nodes', 'destroy_nodes']);

/** Nodes named in a 409's details at most; the message counts the rest. */
const LISTED = 50;
/** A claim's holder can end between the failed batch and the read of who holds it: then the batch is tried again. */
const ATTEMPTS = 3;

export interface ClaimTargets {
  /** The content the task pins (design-pin.ts), so its steps see the design its claims were made on. */
  contentHash: string;
  /** The nodes it would work on; null when that content does not load (the task then ends at its first step with the design's messages, as in Drydock). */
  nodes: string[] | null;
}

/**
 * Reads a node task's design at its creation, to claim its nodes, and pins
 * that content then rather than at the first step: were the document edited
 * between the two, the task would deploy nodes it never claimed. Null when
 * the design_ref cannot be resolved now: the task is created unpinned and
 * unclaimed, and its first step tries (and reports) again.
 */
export async function claimTargets(
  ctx: Pick<ServiceContext, 'siteDesign' | 'db' | 'clock'>,
  task: { designRef: string; nodeFilter: unknown; createdBy: string | null },
): Promise<ClaimTargets | null> {
  let resolved;
  try {
    resolved = await ctx.siteDesign.source.resolve(task.designRef);
  } catch (err) {
    if (err instanceof ApiError) return null;
    throw err;
  }
  const stored = await storeDesignText(
    { db: ctx.db, clock: ctx.clock, box: ctx.siteDesign.box },
    { text: resolved.text, format: designFormatOf(resolved), createdBy: task.createdBy },
  );
  let site;
  try {
    site = siteOrThrow(await readDesign(ctx.siteDesign, resolved), task.designRef);
  } catch (err) {
    if (err instanceof ApiError) return { contentHash: stored.contentHash, nodes: null };
    throw err;
  }
  const unfiltered = task.nodeFilter === null || task.nodeFilter === undefined;
  const nodes = unfiltered ? [...site.nodes.keys()] : selectNodes(site, parseNodeFilter(task.nodeFilter));
  return { contentHash: stored.contentHash, nodes };
}

interface Claim {
  nodeName: string;
  taskId: string;
  action: string;
}

/** Claims on `names` held by live tasks. */
async function liveClaims(db: Db, names: string[]): Promise<Claim[]> {
  const out: Claim[] = [];
  for (const chunk of chunked(names)) {
    out.push(
      ...(await db
        .select({ nodeName: nodeClaims.nodeName, taskId: nodeClaims.taskId, action: nodeClaims.action })
        .from(nodeClaims)
        .innerJoin(tasks, sql`${tasks.taskId} = ${nodeClaims.taskId}`)
        .where(and(inArray(nodeClaims.nodeName, chunk), inArray(tasks.status, [...LIVE_STATUSES])))
        .orderBy(asc(nodeClaims.nodeName))),
    );
  }
  return out;
}

function conflict(claims: Claim[]): ApiError {
  const byTask = new Map<string, Claim[]>();
  for (const c of claims) byTask.set(c.taskId, [...(byTask.get(c.taskId) ?? []), c]);
  const [taskId, held] = [...byTask][0]!;
  const names = held.map((c) => c.nodeName);
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  const others = byTask.size > 1 ? ` (and ${byTask.size - 1} other task(s))` : '';
  return new ApiError(
    'Conflict',
    `Task ${taskId} (${held[0]!.action}) is working on node(s) ${shown}${others}: wait for it to end, ` +
      `or end it with POST ${API_PREFIX}/tasks/${taskId}/terminate`,
    {
      details: claims.slice(0, LISTED).map((c) => ({
        message: `Node ${c.nodeName} is claimed by task ${c.taskId} (${c.action})`,
        error: true,
        node: c.nodeName,
        task_id: c.taskId,
      })),
    },
  );
}

/**
 * Inserts the task and its claims on `names` in one batch. Claims of final
 * or removed tasks are dropped first; a claim of a live task makes the
 * claim INSERT fail, which rolls the whole batch back (task included).
 */
export async function insertClaimingTask(
  db: Db,
  values: Parameters<typeof insertTask>[1] & { taskId: string; action: string; created: Date },
  names: string[],
): Promise<TaskRow> {
  const json = JSON.stringify(names);
  const at = values.created.getTime();
  const live = sql.join(
    LIVE_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  for (let attempt = 1; ; attempt++) {
    try {
      const results = await runBatch(db, [
        db.run(sql`delete from node_claims where node_name in (select value from json_each(${json}))
          and not exists (select 1 from tasks where tasks.task_id = node_claims.task_id and tasks.status in (${live}))`),
        db.run(sql`insert into node_claims (node_name, task_id, action, created)
          select value, ${values.taskId}, ${values.action}, ${at} from json_each(${json})`),
        insertTask(db, values),
        insertTaskEvents(db, sql`t.task_id = ${values.taskId}`, at),
      ]);
      const rows = results[2] as TaskRow[];
      if (!rows[0]) throw new Error('task insert returned no row');
      return rows[0];
    } catch (err) {
      const held = (await liveClaims(db, names)).filter((c) => c.taskId !== values.taskId);
      if (held.length > 0) throw conflict(held);
      if (attempt >= ATTEMPTS) throw err;
    }
  }
}
