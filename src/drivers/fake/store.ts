import { and, asc, eq } from 'drizzle-orm';
import { fakeLabMachines } from '../../db/schema/fakelab.ts';
import type { Db } from '../../db/types.ts';
import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import { bootIpOf, bootMacOf, cpuCountOf, memoryMbOf, powerAddressOf } from './identity.ts';

export type MachineRow = typeof fakeLabMachines.$inferSelect;

/** The fields an operation moves a machine between. */
export interface MachineState {
  status?: string;
  powerState?: string;
  bootDevice?: string;
}

/** What an operation leads to, stored with it so that whoever finds it finished can complete it. */
export interface Outcome extends MachineState {
  result: 'done' | 'failed';
  message: string;
  /** Merged into the detail on completion (what was applied, and so on). */
  record?: Record<string, unknown>;
  /** Detail keys dropped on completion (storage erased on release, …). */
  clear?: string[];
  /** A detail key set to the completion time (e.g. `commissioned`, for build data dates). */
  stamp?: string;
}

export interface LogEntry {
  action: string;
  taskId: string;
  started: string;
  finished?: string;
  result?: 'done' | 'failed';
}

/** The machine's `detail` JSON. */
export interface LabDetail {
  /** The running operation's outcome; present exactly while `operation` is set. */
  pending?: Outcome & { taskId: string };
  /** action -> the task whose call last completed it, so that calling again answers done. */
  completed?: Record<string, string>;
  /** Why the machine is Failed, and which action put it there. */
  failure?: { action: string; reason: string };
  /** The last operations, newest last, for operators and tests. */
  log?: LogEntry[];
  [key: string]: unknown;
}

export const detailOf = (row: MachineRow): LabDetail => (row.detail ?? {}) as LabDetail;

export async function loadMachine(db: Db, nodeName: string): Promise<MachineRow | undefined> {
  const [row] = await db.select().from(fakeLabMachines).where(eq(fakeLabMachines.nodeName, nodeName));
  return row;
}

/**
 * The node's machine, created on first use as MAAS would enlist it: New,
 * powered off, booting from disk. Costs one read once the machine exists.
 */
export async function ensureMachine(db: Db, node: BaremetalNode, site: SiteModel, now: Date): Promise<MachineRow> {
  const existing = await loadMachine(db, node.name);
  if (existing) return existing;
  await db
    .insert(fakeLabMachines)
    .values({
      nodeName: node.name,
      bootMac: bootMacOf(node),
      bootIp: bootIpOf(node, site),
      powerAddress: powerAddressOf(node),
      memoryMb: memoryMbOf(node, site),
      cpuCount: cpuCountOf(node, site),
      detail: {},
      updated: now,
    })
    .onConflictDoNothing();
  const created = await loadMachine(db, node.name);
  if (!created) throw new Error(`fake lab machine ${node.name} was not stored`);
  return created;
}

export interface RowChanges extends MachineState {
  operation?: string | null;
  operationStarted?: Date | null;
  detail?: LabDetail;
}

/**
 * Compare-and-set on `updated`, which every write moves strictly forward
 * (even under a frozen test clock), so it works as the row's version: of
 * two executors that read the same row, exactly one write lands. The loser
 * gets null and reads again.
 */
export async function casUpdate(db: Db, row: MachineRow, changes: RowChanges, now: Date): Promise<MachineRow | null> {
  const updated = new Date(Math.max(now.getTime(), row.updated.getTime() + 1));
  const [next] = await db
    .update(fakeLabMachines)
    .set({ ...changes, updated })
    .where(and(eq(fakeLabMachines.nodeName, row.nodeName), eq(fakeLabMachines.updated, row.updated)))
    .returning();
  return next ?? null;
}

export function listMachineRows(db: Db): Promise<MachineRow[]> {
  return db.select().from(fakeLabMachines).orderBy(asc(fakeLabMachines.nodeName));
}
