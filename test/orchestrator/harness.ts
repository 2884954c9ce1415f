import { eq, sql } from 'drizzle-orm';
import { testBox } from '../helpers/design-box.ts';
import { sha256Hex } from '../../src/core/digest.ts';
import { loadConfig, type Config } from '../../src/core/config.ts';
import { resultMessages, tasks } from '../../src/db/schema/tasks.ts';
import type { Database } from '../../src/db/types.ts';
import { LruCache } from '../../src/design/site-cache.ts';
import type { SiteModel } from '../../src/design/model.ts';
import type { Drivers, KubernetesDriver, NodeDriver, OobDriver, Progress } from '../../src/drivers/types.ts';
import { createLogger } from '../../src/core/log.ts';
import { createOrchestrator, type Orchestrator } from '../../src/orchestrator/orchestrator.ts';
import type { Scheduler } from '../../src/orchestrator/scheduler.ts';
import { createTaskRecord, type NewTask } from '../../src/orchestrator/task-store.ts';
import { DRIVER_ACTIONS, type DriverAction } from '../../src/drivers/actions.ts';
import { rulesKeyOf, type CompiledDesign, type SiteDesignDeps } from '../../src/design/site-design.ts';
import type { RuleContext } from '../../src/design/validators/rule.ts';
import { inRequestReader } from '../../src/design/reader.ts';
import { DEFAULT_DESIGN_LIMITS } from '../../src/design/parse/limits.ts';
import { memoryDatabase } from '../helpers/app.ts';
import { makeNode, siteOf } from '../helpers/site-model.ts';

/** A clock tests move by hand. */
export function manualClock(start = Date.parse('2025-01-01T00:00:00Z')) {
  let now = start;
  return {
    now: () => new Date(now),
    tick(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
    get ms() {
      return now;
    },
  };
}

/** Records what the orchestrator asks; keeps the earliest request per task, like the timer queue. */
export function recordingScheduler(clock: ReturnType<typeof manualClock>) {
  const due = new Map<string, number>();
  const log: Array<{ taskId: string; delayMs: number }> = [];
  const scheduler: Scheduler = {
    async schedule(taskId, delayMs) {
      log.push({ taskId, delayMs });
      const at = clock.ms + delayMs;
      const known = due.get(taskId);
      if (known === undefined || at < known) due.set(taskId, at);
    },
  };
  /** The next task due (and when), earliest first. */
  const next = (): { taskId: string; at: number } | null => {
    let best: { taskId: string; at: number } | null = null;
    for (const [taskId, at] of due) if (!best || at < best.at) best = { taskId, at };
    return best;
  };
  return { scheduler, due, log, next };
}

export type Script = (action: DriverAction, node: string | null, call: number) => Progress | Promise<Progress>;

export interface DriverCall {
  driver: string;
  action: DriverAction;
  node: string | null;
}

const actionsOf = (kind: string) =>
  new Set((Object.keys(DRIVER_ACTIONS) as DriverAction[]).filter((a) => DRIVER_ACTIONS[a] === kind));

/** In-test drivers that answer from a script and record every call. */
export function scriptedDrivers(options: {
  script?: Script;
  oobTypes?: string[];
  kubernetes?: boolean;
  buildData?: boolean;
}) {
  const calls: DriverCall[] = [];
  const counts = new Map<string, number>();
  const script: Script = options.script ?? (() => ({ state: 'done' }));
  const run = (driver: string) => async (_ctx: unknown, action: DriverAction, node: { name: string } | null) => {
    const key = `${action}:${node?.name ?? ''}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    calls.push({ driver, action, node: node?.name ?? null });
    return script(action, node?.name ?? null, n);
  };
  const node: NodeDriver = {
    name: 'scripted-node',
    actions: actionsOf('node'),
    run: run('scripted-node'),
    health: async () => 'ok',
    listMachines: async () => [],
    bootImages: async () => ({}),
    collectBuildData: async (ctx, n, stage = 'commission') =>
      options.buildData === false
        ? []
        : [
            stage === 'deploy'
              ? { nodeName: n.name, generator: 'deploy:/tmp/install.log', dataFormat: 'text/plain', dataElement: 'ok\n', collectedDate: ctx.clock() }
              : {
                  nodeName: n.name,
                  generator: 'lshw',
                  dataFormat: 'application/json',
                  dataElement: JSON.stringify({ id: n.name }),
                  collectedDate: ctx.clock(),
                },
          ],
  };
  const oob: OobDriver = {
    name: 'scripted-oob',
    oobTypes: options.oobTypes ?? ['ipmi'],
    actions: actionsOf('oob'),
    run: run('scripted-oob'),
    health: async () => 'ok',
  };
  const kubernetes: KubernetesDriver | null = options.kubernetes
    ? { name: 'scripted-k8s', actions: actionsOf('kubernetes'), run: run('scripted-k8s'), health: async () => 'ok' }
    : null;
  const drivers: Drivers = { node, oob: [oob], kubernetes };
  const callsOf = (action: DriverAction, nodeName?: string | null) =>
    calls.filter((c) => c.action === action && (nodeName === undefined || c.node === nodeName)).length;
  return { drivers, calls, callsOf };
}

/** A site of `count` nodes named n001…, with ipmi OOB unless told otherwise. */
export function siteOfNodes(count: number, oobType: (i: number) => string | null = () => 'ipmi'): SiteModel {
  const nodes = Array.from({ length: count }, (_, i) => {
    const node = makeNode(`n${String(i + 1).padStart(3, '0')}`);
    node.oob = { ...node.oob, type: oobType(i) };
    return node;
  });
  return siteOf({ nodes });
}

// The scripted node driver offers no images: Platform Selection only warns.
const NO_IMAGES: RuleContext = { platforms: { images: {} } };

/**
 * Design deps whose refs resolve to hand-made sites: each ref's text is the
 * ref itself, and the compiled-design cache already holds its site.
 */
export async function siteDesignOf(sites: Record<string, SiteModel>, broken: string[] = []): Promise<SiteDesignDeps> {
  const cache = new LruCache<CompiledDesign>(100);
  for (const [ref, site] of Object.entries(sites)) {
    const contentHash = await sha256Hex(ref);
    cache.set(contentHash, { contentHash, site, loadMessages: [], ruleMessages: [], rulesKey: rulesKeyOf(NO_IMAGES) });
  }
  for (const ref of broken) {
    const contentHash = await sha256Hex(ref);
    const message = {
      kind: 'ValidationMessage' as const,
      message: 'Document kind Widget is not supported',
      error: true,
      level: 'Error' as const,
      name: 'DD001',
      documents: [],
      diagnostic: 'fix it',
    };
    cache.set(contentHash, { contentHash, site: siteOf({}), loadMessages: [message] });
  }
  return {
    source: { resolve: async (ref) => ({ text: ref, contentType: 'text/plain', ref }) },
    cache,
    ruleContext: async () => NO_IMAGES,
    reader: inRequestReader(DEFAULT_DESIGN_LIMITS),
    box: testBox,
  };
}

export interface Harness {
  database: Database;
  config: Config;
  clock: ReturnType<typeof manualClock>;
  queue: ReturnType<typeof recordingScheduler>;
  orchestrator: Orchestrator;
  make(owner: string, overrides?: { nodesPerStep?: number; sweepLimit?: number }): Orchestrator;
  create(task: NewTask): Promise<string>;
  /** Runs scheduled tasks in time order, moving the clock, until nothing is scheduled. */
  drain(limit?: number, orchestrator?: Orchestrator): Promise<number>;
  task(id: string): Promise<typeof tasks.$inferSelect>;
  messages(id: string): Promise<Array<typeof resultMessages.$inferSelect>>;
  subtasks(id: string): Promise<Array<typeof tasks.$inferSelect>>;
  /** The orchestrator's log records (info and above) when `captureLogs` was asked. */
  logs: Array<Record<string, unknown>>;
}

export async function harness(options: {
  drivers: Drivers;
  sites?: Record<string, SiteModel>;
  siteDesign?: SiteDesignDeps;
  broken?: string[];
  env?: Record<string, string>;
  database?: Database;
  nodesPerStep?: number;
  /** For drivers' I/O (e.g. simulated nodes calling the service). */
  fetch?: typeof fetch;
  clock?: ReturnType<typeof manualClock>;
  captureLogs?: boolean;
}): Promise<Harness> {
  const database = options.database ?? (await memoryDatabase());
  const config = loadConfig({ AUTH_MODE: 'none', ...options.env });
  const clock = options.clock ?? manualClock();
  const queue = recordingScheduler(clock);
  const siteDesign = options.siteDesign ?? (await siteDesignOf(options.sites ?? {}, options.broken));
  const logs: Array<Record<string, unknown>> = [];
  const logger = options.captureLogs
    ? createLogger({ level: 'info', sink: (line) => void logs.push(JSON.parse(line)) })
    : createLogger({ level: 'error', sink: () => {} });
  const make = (owner: string, overrides: { nodesPerStep?: number; sweepLimit?: number } = {}) =>
    createOrchestrator({
      db: database.db,
      config,
      clock: clock.now,
      logger,
      drivers: options.drivers,
      scheduler: queue.scheduler,
      siteDesign,
      owner,
      fetch: options.fetch,
      nodesPerStep: overrides.nodesPerStep ?? options.nodesPerStep,
      sweepLimit: overrides.sweepLimit,
    });
  const orchestrator = make('executor-a');
  const db = database.db;
  return {
    database,
    config,
    clock,
    queue,
    logs,
    orchestrator,
    make,
    async create(task) {
      const row = await createTaskRecord({ db, clock: clock.now }, task);
      await queue.scheduler.schedule(row.taskId, 0);
      return row.taskId;
    },
    async drain(limit = 10_000, executor = orchestrator) {
      let steps = 0;
      for (let next = queue.next(); next && steps < limit; next = queue.next()) {
        queue.due.delete(next.taskId);
        if (next.at > clock.ms) clock.set(next.at);
        await executor.advance(next.taskId);
        steps++;
      }
      return steps;
    },
    async task(id) {
      const [row] = await db.select().from(tasks).where(eq(tasks.taskId, id));
      if (!row) throw new Error(`no task ${id}`);
      return row;
    },
    messages: (id) => db.select().from(resultMessages).where(eq(resultMessages.taskId, id)).orderBy(resultMessages.sequence),
    subtasks: (id) => db.select().from(tasks).where(eq(tasks.parentTaskId, id)).orderBy(tasks.created, sql`rowid`),
  };
}
