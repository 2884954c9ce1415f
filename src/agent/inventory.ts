/**
 * The site's inventory, reported to the edge (docs/site-agent.md,
 * POST /agents/inventory): the node driver's machines, as GET /nodes shows
 * them, and its boot images, which an edge that reaches no MAAS answers
 * GET /nodes and Platform Selection from. Apart from the heartbeat, which
 * stays a few bytes: the agent reads its driver at start and then every
 * interval, and posts only a reading that changed, or the same one once
 * `refreshMs` passed (so the edge's copy says how recently it was true).
 * A node driver call that finished cuts the wait short (InventoryNudge):
 * it likely changed a machine, and an operator reads GET /nodes after a task.
 */
import type { Logger } from '../core/log.ts';
import type { NodeDriver } from '../drivers/types.ts';
import type { Sleep } from './backoff.ts';
import { EdgeRefused, TokenRefused, type EdgeClient } from './edge-client.ts';
import type { BaseContext } from './run-call.ts';

export interface InventoryDeps {
  client: EdgeClient;
  node: Pick<NodeDriver, 'name' | 'listMachines' | 'bootImages'>;
  base: BaseContext;
  logger: Logger;
  sleep: Sleep;
  signal: AbortSignal;
  /** The edge's time now (the agent's clock corrected by the heartbeat's server_time). */
  edgeNow: () => number;
  /** A refused token stops the agent. */
  fatal: (err: Error) => void;
  intervalMs: number;
  refreshMs: number;
  nudge: InventoryNudge;
  /** After a nudge, the reading waits this long, so that a burst of finished calls makes one reading. */
  settleMs: number;
}

/** Wakes the inventory loop before its interval is over. */
export class InventoryNudge {
  private nudged = false;
  private wake: (() => void) | null = null;

  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  /** Sleeps `ms`, or less when nudged (a nudge during the reading counts); true when nudged. */
  async wait(sleep: Sleep, ms: number, signal: AbortSignal): Promise<boolean> {
    if (!this.nudged) {
      const cut = new AbortController();
      const stop = () => cut.abort();
      signal.addEventListener('abort', stop, { once: true });
      this.wake = stop;
      try {
        await sleep(ms, cut.signal);
      } finally {
        this.wake = null;
        signal.removeEventListener('abort', stop);
      }
    }
    const nudged = this.nudged;
    this.nudged = false;
    return nudged;
  }
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Reads and reports until the agent stops, the token is refused, or the edge has no inventory endpoint. */
export async function reportInventory(deps: InventoryDeps): Promise<void> {
  const { client, node, base, logger } = deps;
  let last: { text: string; at: number } | null = null;
  while (!deps.signal.aborted) {
    const taken = deps.edgeNow();
    let reading: { machines: unknown[]; boot_images: Record<string, string[]> } | null = null;
    try {
      const [machines, images] = await Promise.all([node.listMachines(base), node.bootImages(base)]);
      reading = { machines, boot_images: images };
    } catch (err) {
      logger.warn('inventory not read from the node driver; read again on the next interval', { driver: node.name, error: messageOf(err) });
    }
    const text = reading === null ? null : JSON.stringify(reading);
    const due = text !== null && (last === null || last.text !== text || taken - last.at >= deps.refreshMs);
    if (due && !deps.signal.aborted) {
      try {
        const body = { taken: new Date(taken).toISOString(), node_driver: node.name, ...reading };
        await client.request('POST', '/inventory', body, { signal: deps.signal });
        logger.info('inventory reported', { machines: reading!.machines.length, images: Object.keys(reading!.boot_images).length });
        last = { text: text!, at: taken };
      } catch (err) {
        if (deps.signal.aborted) return;
        if (err instanceof TokenRefused) return deps.fatal(err);
        if (err instanceof EdgeRefused && err.status === 404) {
          return logger.warn('the edge takes no inventory (an edge older than POST /agents/inventory); not reported again', { error: err.message });
        }
        // 400 or 413: the same reading would be refused again; it is posted when it changes.
        if (err instanceof EdgeRefused) {
          logger.error('the edge refused the inventory', { error: err.message });
          last = { text: text!, at: taken };
        } else {
          logger.warn('inventory not reported; tried again on the next interval', { error: messageOf(err) });
        }
      }
    }
    if (await deps.nudge.wait(deps.sleep, deps.intervalMs, deps.signal)) await deps.sleep(deps.settleMs, deps.signal);
  }
}
