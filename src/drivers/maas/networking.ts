import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import type { Progress } from '../types.ts';
import type { Form, MaasClient } from './client.ts';
import { findNode } from './identify.ts';
import type { MaasMachine } from './machines.ts';
import { planNetworking, type InterfacePlan, type MaasInterface } from './network-plan.ts';
import type { Fabric, Subnet } from './network-template.ts';
import { resolveNicAliases } from './nic-aliases.ts';

type Machine = MaasMachine & { interface_set?: MaasInterface[] };

/** Counts of what was written, for the step's detail. */
interface Done { bonds: string[]; vlans: number; links: number }

/**
 * The interface on the plan's VLAN with the link's MTU: one PUT when either
 * differs (Drydock's attach_fabric and set_mtu, with their fabric and VLAN
 * list reads). A slave with links (other than LINK_UP) is disconnected
 * first, as Drydock does, since a bond's parent can hold none. Answers
 * the interface as it is then: MAAS drops a machine interface's links
 * when its VLAN changes (models/signals/interfaces.py interface_vlan_update).
 */
async function place(client: MaasClient, base: string, iface: MaasInterface, plan: InterfacePlan, disconnect: boolean): Promise<MaasInterface> {
  let onVlan = iface.vlan?.id === plan.vlan.id;
  if (disconnect && (iface.links ?? []).some((l) => l.mode !== 'link_up')) {
    await client.json({ method: 'POST', path: `${base}${iface.id}/`, op: 'disconnect' });
    onVlan = false;
  }
  const update: Form = {};
  if (!onVlan) update.vlan = plan.vlan.id;
  if (plan.link.mtu !== null && iface.effective_mtu !== plan.link.mtu) update.mtu = plan.link.mtu;
  if (Object.keys(update).length > 0) await client.json({ method: 'PUT', path: `${base}${iface.id}/`, params: update });
  return onVlan ? iface : { ...iface, vlan: plan.vlan, links: [] };
}

/** A bond of the slaves on the plan's VLAN, with the link's bonding settings (MAAS's BondInterfaceForm fields). */
async function createBond(client: MaasClient, base: string, plan: InterfacePlan): Promise<MaasInterface> {
  const l = plan.link;
  return client.json<MaasInterface>({
    method: 'POST',
    path: base,
    op: 'create_bond',
    params: {
      name: plan.design.deviceName,
      parents: plan.slaves.map((s) => s.id),
      vlan: plan.vlan.id,
      mtu: l.mtu,
      bond_mode: l.bondingMode,
      bond_miimon: l.bondingMonRate,
      bond_downdelay: l.bondingDownDelay,
      bond_updelay: l.bondingUpDelay,
      bond_lacp_rate: l.bondingPeerRate,
      bond_xmit_hash_policy: l.bondingXmitHash,
    },
  });
}

async function configure(client: MaasClient, base: string, plan: InterfacePlan, current: Map<string, MaasInterface>, done: Done): Promise<void> {
  // MAAS keeps commissioned NICs (matched by MAC) through a restore; they are found again by name.
  const slaves = plan.slaves.map((s) => {
    const now = current.get(s.name);
    if (!now) throw new Error(`device ${s.name} is gone after MAAS restored the networking configuration`);
    return now;
  });
  const placed: MaasInterface[] = [];
  for (const slave of slaves) placed.push(await place(client, base, slave, plan, plan.bond));
  const iface = plan.bond ? await createBond(client, base, plan) : placed[0]!;
  if (plan.bond) done.bonds.push(`${plan.design.deviceName} (${slaves.map((s) => s.name).join('+')}, ${plan.link.bondingMode})`);
  // MAAS's restore leaves the boot NIC an AUTO (or DHCP) link. Drydock unlinks only a link on a
  // subnet it links again; one on another subnet would give the node an address the design does
  // not have, so every link but LINK_UP (which MAAS drops itself) goes.
  for (const old of plan.bond ? [] : (iface.links ?? [])) {
    if (old.mode !== 'link_up') await client.json({ method: 'POST', path: `${base}${iface.id}/`, op: 'unlink_subnet', params: { id: old.id } });
  }
  const vlanIfaces = new Map<number, MaasInterface>();
  for (const x of plan.links) {
    let target = iface;
    if (x.tagged) {
      // One VLAN interface per VLAN, however many of the interface's networks (subnets) are on it.
      let tagged = vlanIfaces.get(x.tagged.id);
      if (!tagged) {
        tagged = await client.json<MaasInterface>({ method: 'POST', path: base, op: 'create_vlan', params: { parent: iface.id, vlan: x.tagged.id, mtu: x.mtu } });
        vlanIfaces.set(x.tagged.id, tagged);
        done.vlans++;
      }
      target = tagged;
    }
    const params: Form = { mode: x.mode, subnet: x.subnet.id, ip_address: x.ipAddress, ...(x.defaultGateway ? { default_gateway: true } : {}) };
    await client.json({ method: 'POST', path: `${base}${target.id}/`, op: 'link_subnet', params });
    done.links++;
  }
}

/**
 * Drydock's ApplyNodeNetworking on a Ready machine: its networking reset
 * to the commissioned NICs, then bonds, VLAN interfaces and subnet links
 * as planned (network-plan.ts). The design is checked against MAAS before
 * the first change, so a missing NIC or subnet leaves the machine as it was.
 * MAAS is read once (the machine with its embedded interfaces, the fabrics,
 * the subnets; lshw only for hardware aliases): Drydock reads the interface,
 * fabric, VLAN and subnet lists again around each write. A re-run resets
 * first, so it builds the same interfaces, never a second bond or VLAN.
 */
export async function applyNodeNetworking(client: MaasClient, node: BaremetalNode, site: SiteModel): Promise<Progress> {
  const found = await findNode(client, node, true);
  if (!found) return { state: 'failed', reason: `node ${node.name} was not found in MAAS` };
  if (found.kind === 'rackcontrollers') return { state: 'done', detail: `node ${node.name} is a MAAS rack controller; its networking is left as it is` };
  const machine = found.machine as Machine;
  const sid = machine.system_id;
  const status = machine.status_name ?? 'of unknown status';
  if (status === 'Deployed') return { state: 'done', detail: `node ${node.name} is deployed; destroy it first to change its networking` };
  if (status === 'Broken') return { state: 'failed', reason: `node ${node.name} is Broken in MAAS; run configure_hardware before its networking` };
  if (status !== 'Ready') return { state: 'failed', reason: `node ${node.name} is ${status} in MAAS; networking is applied to a Ready machine` };
  const [fabrics, subnets, aliases] = await Promise.all([
    client.json<Fabric[]>({ method: 'GET', path: 'fabrics/' }),
    client.json<Subnet[]>({ method: 'GET', path: 'subnets/' }),
    resolveNicAliases(client, sid, node, site),
  ]);
  const view = { systemId: sid, interfaces: machine.interface_set ?? [], fabrics: fabrics ?? [], subnets: subnets ?? [], aliases };
  const plan = planNetworking(node, site, view);
  if (plan.problems.length > 0) return { state: 'failed', reason: plan.problems.join('; ') };
  const restored = await client.json<Machine>({ method: 'POST', path: `machines/${encodeURIComponent(sid)}/`, op: 'restore_networking_configuration' });
  const current = new Map((restored?.interface_set ?? []).map((i) => [i.name, i]));
  const base = `nodes/${encodeURIComponent(sid)}/interfaces/`;
  const done: Done = { bonds: [], vlans: 0, links: 0 };
  for (const p of plan.interfaces) {
    try {
      await configure(client, base, p, current, done);
    } catch (err) {
      // The step's failure names the node (driver.ts); this names the interface MAAS refused.
      throw new Error(`interface ${p.design.deviceName}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const bonds = done.bonds.length > 0 ? `bond ${done.bonds.join(', ')}; ` : '';
  return { state: 'done', detail: `node ${node.name} networking applied on ${sid}: ${plan.interfaces.length} interface(s), ${bonds}${done.vlans} VLAN interface(s), ${done.links} subnet link(s)` };
}
