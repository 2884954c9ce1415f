import type { BootActionDelivery } from '../types.ts';

/**
 * What a simulated machine holds outside the database: the boot action
 * context its deployment delivered. The node key is the machine's secret,
 * as on a real node, so it is never written to the database; this map is the
 * simulated machines' RAM. It and the disks below are the fake lab's only
 * module state, and on purpose: a context delivered in one process or isolate
 * is not seen by another, exactly as a real node's memory is its own. (The
 * cost: if deploy_node finishes in another isolate than the one that
 * delivered, the simulated node cannot act and its report times out.)
 */
export interface DeliveredContext extends BootActionDelivery {
  /** The deploy task that delivered it. */
  taskId: string;
}

const ram = new Map<string, DeliveredContext>();

export function remember(hostname: string, context: DeliveredContext): void {
  ram.set(hostname, context);
}

/** Takes the machine's context: the simulated node acts on it once per deployment. */
export function takeDelivered(hostname: string): DeliveredContext | undefined {
  const found = ram.get(hostname);
  ram.delete(hostname);
  return found;
}

/**
 * The simulated machines' disks (FAKE_LAB_DISK_DIR), installed by a runtime
 * with a file system (Node, Deno); absent in workerd. `path` is relative to
 * the machine's directory and has no '..' segment; the writer checks again.
 */
export interface LabDisk {
  writeFile(hostname: string, path: string, content: Uint8Array, mode: number): Promise<void>;
}

let disk: LabDisk | null = null;

/** Installs (or, with null, removes) the lab's disks; part of the simulated hardware, like the RAM above. */
export function installLabDisk(next: LabDisk | null): void {
  disk = next;
}

export function labDisk(): LabDisk | null {
  return disk;
}
