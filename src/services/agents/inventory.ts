/**
 * Site inventories (docs/site-agent.md): what each site's agent reads from
 * its node driver (machines, boot images) and posts to the edge. An edge
 * whose driver calls all run at agents cannot reach MAAS, so GET /nodes and
 * Platform Selection (DD3001) answer from the stored readings. The newest
 * reading of a site wins, settled by one conditional upsert: two agents of
 * one site, or a late post of an older reading, never put an older one back.
 */
import { asc, eq, isNull, sql } from 'drizzle-orm';
import { ApiError } from '../../core/errors.ts';
import { runBatch } from '../../db/batch.ts';
import { agents } from '../../db/schema/agents.ts';
import { siteInventory } from '../../db/schema/inventory.ts';
import type { Db } from '../../db/types.ts';
import type { MachineSummary } from '../../drivers/types.ts';
import type { ServiceContext } from '../context.ts';
import type { AuthenticatedAgent } from './authenticate.ts';

/** Under D1's 2 MB limit on one value, with room for the row's other columns. */
export const MAX_MACHINES_JSON_BYTES = 1_900_000;

export interface ReportedInventory {
  taken: Date;
  node_driver: string;
  machines: MachineSummary[];
  boot_images: Record<string, string[]>;
}

export interface StoredInventory {
  site: string;
  taken: string;
  /** False when a newer reading of the site was already stored (this one is older). */
  stored: boolean;
}

/** Stores the agent's reading for its site unless a newer one is there; a `taken` ahead of the edge's clock counts as now. */
export async function storeInventory(
  ctx: Pick<ServiceContext, 'db' | 'clock'>,
  agent: AuthenticatedAgent,
  report: ReportedInventory,
): Promise<StoredInventory> {
  const now = ctx.clock();
  const taken = report.taken.getTime() > now.getTime() ? now : report.taken;
  // Bounded by the body limit too; this keeps the row storable when MAX_BODY_BYTES is raised.
  if (new TextEncoder().encode(JSON.stringify(report.machines)).byteLength > MAX_MACHINES_JSON_BYTES) {
    throw new ApiError('PayloadTooLarge', `The machine list is over ${MAX_MACHINES_JSON_BYTES} bytes of JSON`);
  }
  const row = {
    site: agent.site,
    agentId: agent.agentId,
    nodeDriver: report.node_driver,
    taken,
    received: now,
    machines: report.machines,
    bootImages: report.boot_images,
  };
  const { db } = ctx;
  const [, written] = (await runBatch(db, [
    db.update(agents).set({ lastSeen: now }).where(eq(agents.agentId, agent.agentId)),
    db
      .insert(siteInventory)
      .values(row)
      .onConflictDoUpdate({
        target: siteInventory.site,
        set: { agentId: row.agentId, nodeDriver: row.nodeDriver, taken, received: now, machines: row.machines, bootImages: row.bootImages },
        setWhere: sql`excluded.taken >= ${siteInventory.taken}`,
      })
      .returning({ site: siteInventory.site }),
  ])) as [unknown, Array<{ site: string }>];
  return { site: agent.site, taken: taken.toISOString(), stored: written.length > 0 };
}

export interface SiteMachines {
  site: string;
  taken: Date;
  machines: MachineSummary[];
}

const asMachines = (stored: unknown): MachineSummary[] => (Array.isArray(stored) ? (stored as MachineSummary[]) : []);

/** 503: the edge has nothing to answer from; names the sites whose agents have not reported. */
async function noInventory(db: Db): Promise<never> {
  const rows = await db.selectDistinct({ site: agents.site }).from(agents).where(isNull(agents.revoked)).orderBy(asc(agents.site));
  const sites = rows.map((r) => r.site);
  const message =
    sites.length === 0
      ? 'No site agent has reported its inventory yet (DRIVER_LOCATION=agent: the machines are known at the sites)'
      : `No inventory from an agent of site ${sites.join(', ')} yet`;
  throw new ApiError('ServiceUnavailable', message, { retry: true });
}

/** Every site's last reported machines, by site name; 503 when no agent reported any. */
export async function reportedMachines(ctx: Pick<ServiceContext, 'db'>): Promise<SiteMachines[]> {
  const rows = await ctx.db
    .select({ site: siteInventory.site, taken: siteInventory.taken, machines: siteInventory.machines })
    .from(siteInventory)
    .orderBy(asc(siteInventory.site));
  if (rows.length === 0) return noInventory(ctx.db);
  return rows.map((r) => ({ site: r.site, taken: r.taken, machines: asMachines(r.machines) }));
}

/** Every site's last reported boot images (image -> kernels), by site name. */
export async function reportedBootImages(db: Db): Promise<Record<string, Record<string, string[]>>> {
  const rows = await db.select({ site: siteInventory.site, images: siteInventory.bootImages }).from(siteInventory).orderBy(asc(siteInventory.site));
  const isImages = (x: unknown): x is Record<string, string[]> => typeof x === 'object' && x !== null && !Array.isArray(x);
  // fromEntries: a site named __proto__ is an own key like any other.
  return Object.fromEntries(rows.filter((r) => isImages(r.images)).map((r) => [r.site, r.images as Record<string, string[]>]));
}
