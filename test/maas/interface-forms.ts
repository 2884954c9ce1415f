import type { MaasRequest } from './http-util.ts';
import { inCidr } from './ip-alloc.ts';
import type { SimInterface, SimMachine } from './model.ts';
import type { Network, SimSubnet } from './network.ts';

/**
 * The validation of canonical/maas src/maasserver/forms/interface.py
 * (BondInterfaceForm, VLANInterfaceForm) and forms/interface_link.py
 * (InterfaceLinkForm) that a client can trip over: the texts are MAAS's.
 */
type Errors = Record<string, string[]>;

const choiceText = (what: string, value: string, choices: string[]) =>
  `'${value}' is not a valid ${what}.  It should be one of: ${choices.map((c) => `'${c}'`).join(', ')}.`;

// enum.py BOND_MODE_CHOICES, BOND_LACP_RATE_CHOICES, BOND_XMIT_HASH_POLICY_CHOICES.
const BOND_CHOICES: Record<string, string[]> = {
  bond_mode: ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'],
  bond_lacp_rate: ['fast', 'slow'],
  bond_xmit_hash_policy: ['layer2', 'layer2+3', 'layer3+4', 'encap2+3', 'encap3+4'],
};
// The `initial` of each bond_* field: MAAS stores it on a new bond when the field is absent.
export const BOND_DEFAULTS: Record<string, string> = {
  bond_mode: 'balance-rr', bond_miimon: '100', bond_downdelay: '0', bond_updelay: '0', bond_num_grat_arp: '1',
  bond_lacp_rate: 'fast', bond_xmit_hash_policy: 'layer2',
};

/** Django's BooleanField: anything but '', 'false', '0' (any case) is true. */
export const formBool = (v: string | null) => v !== null && !['', 'false', '0'].includes(v.toLowerCase());

function mtuErrors(r: MaasRequest, errors: Errors): void {
  const mtu = r.form.get('mtu');
  if (mtu && !(Number(mtu) >= 552)) errors.mtu = ['Ensure this value is greater than or equal to 552.'];
}

/** BondInterfaceForm: choices, parents not already in a child, all parents (and the bond) on one VLAN. */
export function bondErrors(r: MaasRequest, m: SimMachine, parents: SimInterface[]): Errors {
  const errors: Errors = {};
  for (const [field, choices] of Object.entries(BOND_CHOICES)) {
    const v = r.form.get(field);
    if (v && !choices.includes(v)) errors[field] = [choiceText(field, v, choices)];
  }
  mtuErrors(r, errors);
  const inUse = parents.filter((p) => m.interfaces.some((c) => c.parents.includes(p.name))).map((p) => p.name);
  if (inUse.length) errors.parents = [`Interfaces already in-use: ${inUse.sort().join(', ')}.`];
  else {
    const vlan = r.form.get('vlan') ? Number(r.form.get('vlan')) : parents[0]!.vlanId;
    if (parents.some((p) => p.vlanId !== vlan)) errors.parents = ['All parents must belong to the same VLAN.'];
  }
  return errors;
}

/** VLANInterfaceForm: one parent, not a VLAN, not in a bond, on the fabric of the new VLAN. */
export function vlanErrors(r: MaasRequest, net: Network, m: SimMachine, parent: SimInterface, vlanId: number): Errors {
  const errors: Errors = {};
  mtuErrors(r, errors);
  if (parent.type === 'vlan') errors.parents = ["A VLAN interface can't have another VLAN interface as parent."];
  else if (m.interfaces.some((c) => c.type === 'bond' && c.parents.includes(parent.name))) {
    errors.parents = ["A VLAN interface can't have a parent that is already in a bond."];
  }
  const fabricOf = (id: number) => net.vlans.find((v) => v.id === id)?.fabricId;
  if (!errors.parents && fabricOf(parent.vlanId) !== fabricOf(vlanId)) {
    errors.vlan = ['A VLAN interface can only belong to a tagged VLAN on the same fabric as its parent interface.'];
  }
  return errors;
}

/**
 * InterfaceLinkForm: not on a bond's parent; the subnet among the
 * interface's VLAN's (unless force or no VLAN); one DHCP link; a static
 * address inside the subnet and outside its dynamic ranges; LINK_UP only
 * alone (unless force); default_gateway only in AUTO/STATIC, with a
 * subnet that has a gateway.
 */
export function linkErrors(r: MaasRequest, net: Network, m: SimMachine, i: SimInterface, mode: string): Errors {
  const errors: Errors = {};
  const force = formBool(r.form.get('force'));
  const bond = m.interfaces.find((c) => c.type === 'bond' && c.parents.includes(i.name));
  if (bond) errors.bond = [`Cannot link interface(${i.name}) when interface is in a bond(${bond.name}).`];
  const id = r.form.get('subnet');
  let subnet: SimSubnet | undefined;
  if (id) {
    subnet = net.subnets.find((s) => String(s.id) === id);
    const onVlan = force || i.vlanId < 0 || subnet?.vlanId === i.vlanId;
    if (!subnet || !onVlan) errors.subnet = ['Select a valid choice. That choice is not one of the available choices.'];
  } else if (mode === 'auto' || mode === 'static') errors.subnet = ['This field is required.'];
  const ip = r.form.get('ip_address');
  if (mode === 'static' && subnet && ip) {
    const dynamic = net.ipranges.find((x) => x.subnetId === subnet!.id && x.type === 'dynamic' && inRange(ip, x.startIp, x.endIp));
    if (!inCidr(ip, subnet.cidr)) errors.ip_address = [`IP address is not in the given subnet '${subnet.name}'.`];
    else if (dynamic) errors.ip_address = [`IP address is inside a dynamic range ${dynamic.startIp} to ${dynamic.endIp}.`];
  }
  if (mode === 'dhcp' && i.links.some((l) => l.mode === 'dhcp')) errors.mode = ['Interface is already set to DHCP.'];
  if (mode === 'link_up' && !force && i.links.some((l) => l.mode !== 'link_up')) {
    errors.mode = ['Cannot configure interface to link up (with no IP address) while other links are already configured. '
      + 'Specify force=True to override this behavior and delete all links.'];
  }
  if (formBool(r.form.get('default_gateway'))) {
    if (mode !== 'auto' && mode !== 'static') errors.default_gateway = [`Cannot use in mode '${mode}'.`];
    else if (!subnet) errors.default_gateway = ['Subnet is required when default_gateway is True.'];
    else if (!subnet.gatewayIp) {
      errors.default_gateway = [`Cannot set as default gateway because subnet ${subnet.name} doesn't provide a gateway IP address.`];
    }
  }
  return errors;
}

function inRange(ip: string, start: string, end: string): boolean {
  const num = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  return num(ip) >= num(start) && num(ip) <= num(end);
}
