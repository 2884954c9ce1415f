import type { BaremetalNode } from '../../design/model.ts';
import { bmcAddressOf, bmcLoginOf } from '../oob/bmc-address.ts';
import type { Progress } from '../types.ts';
import type { MaasClient } from './client.ts';
import type { MaasMachine } from './machines.ts';

/** Where a node was found: a machine, or a rack controller (which Drydock identifies but never changes). */
export interface FoundNode {
  kind: 'machines' | 'rackcontrollers';
  machine: MaasMachine;
}

async function findIn(client: MaasClient, kind: FoundNode['kind'], node: BaremetalNode, probablyExists: boolean): Promise<MaasMachine | null> {
  const path = `${kind}/`;
  if (probablyExists) {
    const [byName] = (await client.json<MaasMachine[]>({ method: 'GET', path, params: { hostname: node.name } })) ?? [];
    if (byName) return byName;
  }
  const oobType = node.oob.type ?? '';
  if (oobType === 'ipmi' || oobType === 'redfish') {
    const address = bmcAddressOf(node).host;
    const power = (await client.json<Record<string, { power_address?: string }>>({ method: 'GET', path, op: 'power_parameters' })) ?? {};
    const systemId = Object.keys(power).find((id) => power[id]?.power_address === address);
    return systemId ? await client.json<MaasMachine>({ method: 'GET', path: `${path}${encodeURIComponent(systemId)}/` }) : null;
  }
  if (!node.bootMac) return null;
  const [byMac] = (await client.json<MaasMachine[]>({ method: 'GET', path, params: { mac_address: node.bootMac } })) ?? [];
  return byMac ?? null;
}

/**
 * Drydock's find_node_in_maas: by hostname when the node probably has its
 * name already, then by BMC address (ipmi, redfish: one power_parameters
 * call for every machine) or by boot MAC (others), among machines and then
 * among rack controllers.
 */
export async function findNode(client: MaasClient, node: BaremetalNode, probablyExists: boolean): Promise<FoundNode | null> {
  const machine = await findIn(client, 'machines', node, probablyExists);
  if (machine) return { kind: 'machines', machine };
  const rack = await findIn(client, 'rackcontrollers', node, probablyExists);
  return rack ? { kind: 'rackcontrollers', machine: rack } : null;
}

/**
 * Drydock's IdentifyNode: the machine found for the node gets the node's
 * hostname and domain (its primary network's DNS domain, when it has one);
 * a libvirt node's power becomes virsh at its libvirt_uri, and with
 * `useNodeOobParams` an ipmi or redfish node's power the design's BMC
 * address and login. Drydock sends the power parameters in a second PUT;
 * they go in the same one here.
 */
export async function identifyNode(client: MaasClient, node: BaremetalNode, useNodeOobParams = false): Promise<Progress> {
  const found = await findNode(client, node, false);
  if (!found) return { state: 'failed', reason: `node ${node.name} was not found in MAAS (by ${node.oob.type === 'ipmi' || node.oob.type === 'redfish' ? 'BMC address' : 'boot MAC'})` };
  if (found.kind === 'rackcontrollers') return { state: 'done', detail: `rack controller ${found.machine.hostname} identified in MAAS` };
  // Drydock sends `local` for a node whose primary network has no DNS domain;
  // MAAS refuses a domain it does not have (400), which Drydock swallows,
  // leaving the machine unnamed. Here the domain is only sent when there is one.
  const update: Record<string, string> = { hostname: node.name, ...(node.domain ? { domain: node.domain } : {}) };
  const uri = node.oob.params['libvirt_uri'];
  if (node.oob.type === 'libvirt' && typeof uri === 'string') {
    Object.assign(update, { power_type: 'virsh', power_parameters_power_address: uri, power_parameters_power_id: node.name });
  } else if (useNodeOobParams && (node.oob.type === 'ipmi' || node.oob.type === 'redfish')) {
    const { account, credential } = bmcLoginOf(node);
    Object.assign(update, {
      power_type: node.oob.type,
      power_parameters_power_address: bmcAddressOf(node).host,
      power_parameters_power_user: account,
      power_parameters_power_pass: credential,
    });
  }
  await client.json({ method: 'PUT', path: `machines/${encodeURIComponent(found.machine.system_id)}/`, params: update });
  return { state: 'done', detail: `node ${node.name} identified in MAAS as ${found.machine.system_id}` };
}
