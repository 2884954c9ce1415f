import { bootActionContexts, bootActionStatus } from '../../src/db/schema/bootactions.ts';
import { buildData } from '../../src/db/schema/builddata.ts';
import { resultMessages, tasks } from '../../src/db/schema/tasks.ts';
import type { Database, Db } from '../../src/db/types.ts';
import { buildTestApp, digestOf, type TestAppOptions } from '../helpers/app.ts';
import { ADMIN, READER } from './design-fixtures.ts';

export { ADMIN, READER };

export const NOW = new Date('2030-06-15T12:00:00.000Z');
export const DAY = 86_400_000;

/** Token mode (admin `ops`, member `viewer`), a fixed clock, and optional policy overrides. */
export async function taskApp(
  options: { env?: Record<string, string>; policy?: Record<string, string>; clock?: () => Date; database?: Database } & Pick<TestAppOptions, 'callWakeups'> = {},
) {
  const env: Record<string, string> = {
    AUTH_MODE: 'token',
    AUTH_TOKENS: `ops:admin:${await digestOf(ADMIN)},viewer:member:${await digestOf(READER)}`,
    ...options.env,
  };
  if (options.policy) env['POLICY_DOCUMENT'] = JSON.stringify(options.policy);
  const built = await buildTestApp({ env, clock: options.clock ?? (() => NOW), database: options.database, callWakeups: options.callWakeups });
  return { ...built, db: built.database.db };
}

export const auth = (token = ADMIN, extra: Record<string, string> = {}) => ({ headers: { 'X-Auth-Token': token, ...extra } });

export function postTask(body: unknown, token = ADMIN, extra: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': token, ...extra },
  };
}

let seq = 0;
/** A deterministic, sortable task id for seeded rows. */
export function taskId(n = ++seq): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

type TaskInsert = typeof tasks.$inferInsert;

/** Inserts a task row directly (no orchestrator); returns its id. */
export async function seedTask(db: Db, row: Partial<TaskInsert> = {}): Promise<string> {
  const id = row.taskId ?? taskId();
  await db.insert(tasks).values({ action: 'deploy_nodes', designRef: 'design://x', created: NOW, status: 'complete', ...row, taskId: id });
  return id;
}

export async function seedMessage(db: Db, task: string, message: string, error = false, ts = NOW): Promise<void> {
  await db.insert(resultMessages).values({ taskId: task, message, error, context: 'n1', contextType: 'node', ts, extra: { step: 1 } });
}

export async function seedBuildData(
  db: Db,
  row: { nodeName: string; taskId: string; generator: string; collectedDate: Date; dataElement?: string; dataFormat?: string },
): Promise<void> {
  await db.insert(buildData).values({ dataFormat: 'application/json', dataElement: '{}', ...row });
}

export async function seedBootAction(db: Db, node: string, task: string): Promise<void> {
  await db.insert(bootActionContexts).values({ nodeName: node, taskId: task, nodeKeyDigest: 'ab'.repeat(32), created: NOW });
  await db.insert(bootActionStatus).values({
    actionId: `01J${node.toUpperCase().padEnd(23, '0')}`.slice(0, 26),
    nodeName: node,
    actionName: 'hello',
    taskId: task,
    actionKeyDigest: 'cd'.repeat(32),
    actionStatus: 'pending',
    created: NOW,
  });
}
