import type { BaremetalNode } from '../../design/model.ts';
import type { BootActionDelivery, DriverMemo, Progress } from '../types.ts';
import type { MaasClient } from './client.ts';
import { findNode } from './identify.ts';
import type { MaasMachine } from './machines.ts';
import { base64Of, cloudConfigFor, type KeyDelivery } from './user-data.ts';

export interface DeploySettings {
  pollMs: number;
  /** Drydock's timeouts.deploy_node (45 min), from the deploy call on. */
  timeoutMs: number;
  keyDelivery: KeyDelivery;
}

const machinePath = (id: string) => `machines/${encodeURIComponent(id)}/`;

/** Drydock's `<node>__baid__<key>` tag, which its node images read from MAAS's metadata. */
async function tagNodeKey(client: MaasClient, node: BaremetalNode, systemId: string, nodeKey: string): Promise<void> {
  const prefix = `${node.name}__baid__`;
  const tags = (await client.json<Array<{ name: string }>>({ method: 'GET', path: 'tags/' })) ?? [];
  for (const old of tags.filter((t) => t.name.startsWith(prefix))) {
    await client.json({ method: 'DELETE', path: `tags/${encodeURIComponent(old.name)}/` });
  }
  const name = `${prefix}${nodeKey}`;
  await client.json({ method: 'POST', path: 'tags/', params: { name, comment: 'Drydock boot action key' } });
  await client.json({ method: 'POST', path: `tags/${encodeURIComponent(name)}/`, op: 'update_nodes', params: { add: systemId } });
}

/**
 * Drydock's DeployNode up to MAAS's deploy call: allocate a Ready machine,
 * its owner data as workload annotations (one call for all keys, where
 * Drydock sends one per key), the boot action key (tag and/or user data),
 * then deploy with the node's image, kernel and user data. Run when the
 * boot action context is delivered (the key exists only then, and is kept
 * nowhere), else by the first deploy_node call. A machine already
 * deploying or deployed is left as it is.
 */
export async function startDeploy(client: MaasClient, node: BaremetalNode, payload: BootActionDelivery | null, settings: DeploySettings): Promise<MaasMachine> {
  const found = await findNode(client, node, true);
  if (!found) throw new Error(`node ${node.name} was not found in MAAS`);
  if (found.kind === 'rackcontrollers') return found.machine;
  const machine = found.machine;
  const status = machine.status_name ?? 'Unknown';
  if (status.startsWith('Deploying') || status.startsWith('Deployed')) return machine;
  if (status === 'Ready') {
    await client.json({ method: 'POST', path: 'machines/', op: 'allocate', params: { system_id: machine.system_id } });
  } else if (!status.startsWith('Allocated')) {
    throw new Error(`node ${node.name} is ${status} in MAAS, a status a deploy cannot start from (Ready or Allocated)`);
  }
  if (Object.keys(node.ownerData).length > 0) {
    await client.json({ method: 'POST', path: machinePath(machine.system_id), op: 'set_workload_annotations', params: node.ownerData });
  }
  if (payload && settings.keyDelivery !== 'user_data') await tagNodeKey(client, node, machine.system_id, payload.nodeKey);
  const userData = cloudConfigFor(payload, settings.keyDelivery);
  return client.json<MaasMachine>({
    method: 'POST',
    path: machinePath(machine.system_id),
    op: 'deploy',
    params: { distro_series: node.platform.image, hwe_kernel: node.platform.kernel, user_data: userData === null ? null : base64Of(userData) },
  });
}

/** deploy_node: starts the deploy when nothing did, then reads the machine once per call until Deployed, Failed or out of time. */
export async function deployStep(
  client: MaasClient,
  node: BaremetalNode,
  memo: DriverMemo | undefined,
  settings: DeploySettings,
  now: number,
): Promise<Progress> {
  const since = typeof memo?.since === 'number' ? memo.since : now;
  const machine = typeof memo?.systemId === 'string'
    ? await client.json<MaasMachine>({ method: 'GET', path: machinePath(memo.systemId) })
    : await startDeploy(client, node, null, settings);
  const status = machine.status_name ?? 'Unknown';
  if (status.startsWith('Deployed')) return { state: 'done', detail: `node ${node.name} deployed (${machine.system_id})` };
  if (status.startsWith('Failed')) return { state: 'failed', reason: `node ${node.name} failed to deploy in MAAS: ${status}` };
  if (now - since >= settings.timeoutMs) {
    return { state: 'failed', reason: `node ${node.name} still ${status} in MAAS after ${Math.round(settings.timeoutMs / 60_000)} min (MAAS_DEPLOY_TIMEOUT_MINUTES)` };
  }
  return { state: 'pending', detail: `deploying in MAAS (${machine.system_id}: ${status})`, retryAfterMs: settings.pollMs, memo: { systemId: machine.system_id, since } };
}
