import type { BaremetalNode } from '../../design/model.ts';
import type { DriverMemo, Progress } from '../types.ts';
import type { MaasClient } from './client.ts';
import { findNode } from './identify.ts';
import type { MaasMachine } from './machines.ts';

export interface DestroySettings {
  pollMs: number;
  /** Drydock's timeouts.destroy_node (30 min), from the release call on. */
  timeoutMs: number;
}

// The statuses MAAS releases from (Drydock's DestroyNode.actionable_node_statuses).
const RELEASABLE = new Set(['Allocated', 'Deployed', 'Deploying', 'Failed deployment', 'Releasing failed', 'Failed disk erasing']);

const machinePath = (id: string) => `machines/${encodeURIComponent(id)}/`;

/**
 * The machine leaves MAAS, to be enlisted and commissioned again. A libvirt
 * node's power goes back to manual first (Drydock: MAAS otherwise keeps the
 * virsh BMC, which confuses the next enlistment).
 */
async function remove(client: MaasClient, node: BaremetalNode, machine: MaasMachine): Promise<Progress> {
  if (node.oob.type === 'libvirt') await client.json({ method: 'PUT', path: machinePath(machine.system_id), params: { power_type: 'manual' } });
  await client.json({ method: 'DELETE', path: machinePath(machine.system_id) });
  return { state: 'done', detail: `node ${node.name} deleted from MAAS (was ${machine.status_name ?? 'unknown'})` };
}

/**
 * Drydock's DestroyNode as bounded calls: release with a quick disk erase
 * where MAAS allows a release, wait (one read per call) for Ready, then
 * delete. Drydock deletes the machine even when the release failed or
 * timed out; here a failed or unfinished release fails the node and keeps
 * the machine, whose disks may not be erased.
 */
export async function destroyStep(client: MaasClient, node: BaremetalNode, memo: DriverMemo | undefined, settings: DestroySettings, now: number): Promise<Progress> {
  if (typeof memo?.systemId === 'string' && typeof memo.since === 'number') {
    const machine = await client.json<MaasMachine>({ method: 'GET', path: machinePath(memo.systemId) });
    const status = machine.status_name ?? 'Unknown';
    if (status === 'Ready') return remove(client, node, machine);
    if (status.startsWith('Failed') || status === 'Releasing failed') return { state: 'failed', reason: `node ${node.name} was not released by MAAS: ${status}; it is kept there` };
    if (now - memo.since >= settings.timeoutMs) {
      return { state: 'failed', reason: `node ${node.name} still ${status} in MAAS after ${Math.round(settings.timeoutMs / 60_000)} min (MAAS_DESTROY_TIMEOUT_MINUTES); it is kept there` };
    }
    return { state: 'pending', detail: `releasing in MAAS (${memo.systemId}: ${status})`, retryAfterMs: settings.pollMs, memo: { systemId: memo.systemId, since: memo.since } };
  }
  const found = await findNode(client, node, true);
  if (!found) return { state: 'done', detail: `node ${node.name} is not in MAAS; nothing to destroy` };
  if (found.kind === 'rackcontrollers') return { state: 'failed', reason: `node ${node.name} is a MAAS rack controller, which is not destroyed` };
  const machine = found.machine;
  if (!RELEASABLE.has(machine.status_name ?? '')) return remove(client, node, machine);
  await client.json({ method: 'POST', path: machinePath(machine.system_id), op: 'release', params: { erase: true, quick_erase: true } });
  return { state: 'pending', detail: `releasing in MAAS with a quick disk erase (${machine.system_id})`, retryAfterMs: settings.pollMs, memo: { systemId: machine.system_id, since: now } };
}
