import type { BaremetalNode } from '../../design/model.ts';
import type { BootActionDelivery, DriverContext } from '../types.ts';
import { labDisk, remember } from './machine-memory.ts';
import { casUpdate, detailOf, ensureMachine, loadMachine } from './store.ts';

const ROUNDS = 5;

/**
 * The fake lab's side of deploy-time boot action contexts (MAAS: user data).
 * The package list goes into the machine's detail, as Drydock hands MAAS
 * cloud-config `packages`; the node key and action ids go to the simulated
 * machine's memory (and, with FAKE_LAB_DISK_DIR, its disk as
 * `<dir>/<hostname>/bootaction.key`), never to the database.
 */
export async function recordDelivery(ctx: DriverContext, node: BaremetalNode, payload: BootActionDelivery): Promise<void> {
  let row = await ensureMachine(ctx.db, node, ctx.site, ctx.clock());
  for (let round = 0; ; round++) {
    const detail = { ...detailOf(row), packages: payload.packages, bootActions: payload.actions.map((a) => a.name) };
    if (await casUpdate(ctx.db, row, { detail }, ctx.clock())) break;
    const again = await loadMachine(ctx.db, node.name);
    if (!again || round >= ROUNDS) throw new Error(`machine ${node.name} is contended; context not delivered`);
    row = again;
  }
  remember(node.name, { ...payload, taskId: ctx.taskId });
  // One line, newline-terminated: Drydock's Go baclient (-keyfile) reads it
  // with ReadString('\n') and sends an empty key when the newline is missing.
  await labDisk()?.writeFile(node.name, 'bootaction.key', new TextEncoder().encode(`${payload.nodeKey}\n`), 0o600);
}
