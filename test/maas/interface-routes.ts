import { json, text, validation, type MaasReply, type MaasRequest } from './http-util.ts';
import { interfaceDoc } from './machine-doc.ts';
import type { SimInterface, SimMachine } from './model.ts';
import type { Handler, Route } from './router.ts';
import type { SimState } from './state.ts';
import { nextFree } from './ip-alloc.ts';
import { BOND_DEFAULTS, bondErrors, formBool, linkErrors, vlanErrors } from './interface-forms.ts';
import { NODE_STATUS as S } from './status.ts';

/**
 * nodes/{system_id}/interfaces/ after canonical/maas
 * src/maasserver/api/interfaces.py: create_bond, create_vlan, link_subnet,
 * unlink_subnet, disconnect, set_default_gateway, PUT, DELETE; changes only
 * while the machine is New, Ready, Allocated, Broken or Failed testing
 * (ALLOWED_STATES), else 409. Form checks: interface-forms.ts.
 */
const ALLOWED = [S.NEW, S.READY, S.FAILED_TESTING, S.ALLOCATED, S.BROKEN] as number[];
const MODES = ['auto', 'dhcp', 'static', 'link_up'];

export function interfaceRoutes(st: SimState): Route[] {
  const net = st.network;
  const noMachine = text(404, 'No Machine matches the given query.');
  const noIface = text(404, 'No Interface matches the given query.');

  /** Looks up machine (and interface), checks the state for `operation` when given. */
  const on = (operation: string | null, fn: (r: MaasRequest, m: SimMachine, i: SimInterface | null) => MaasReply): Handler =>
    (r, p) => {
      const m = st.machine(p[0]!);
      if (!m) return noMachine;
      const i = p[1] === undefined ? null : m.interfaces.find((x) => String(x.id) === p[1] || x.name === p[1]);
      if (i === undefined) return noIface;
      if (operation && !ALLOWED.includes(m.status)) {
        return text(409, `Cannot ${operation} interface because the machine is not New, Ready, Allocated, or Broken.`);
      }
      return fn(r, m, i);
    };

  const add = (m: SimMachine, x: Omit<SimInterface, 'id' | 'links' | 'tags' | 'enabled' | 'params'> & Partial<SimInterface>) => {
    const iface: SimInterface = { links: [], tags: [], enabled: true, params: {}, ...x, id: st.ids.next() };
    m.interfaces.push(iface);
    return json(interfaceDoc(net, m, iface));
  };

  const createBond = (r: MaasRequest, m: SimMachine): MaasReply => {
    const name = r.form.get('name');
    const parents = r.form.getAll('parents').map((id) => m.interfaces.find((x) => String(x.id) === id));
    const errors: Record<string, string[]> = {};
    if (!name) errors.name = ['This field is required.'];
    else if (m.interfaces.some((x) => x.name === name)) errors.name = ['Interface with this name already exists.'];
    if (!parents.length) errors.parents = ['A bond interface must have one or more parents.'];
    else if (parents.some((x) => !x)) errors.parents = ['Select a valid choice.'];
    if (Object.keys(errors).length) return validation(errors);
    const ps = parents as SimInterface[];
    const formErrors = bondErrors(r, m, ps);
    if (Object.keys(formErrors).length) return validation(formErrors);
    const params: Record<string, string> = { ...BOND_DEFAULTS };
    for (const [k, v] of r.form.entries()) if (k.startsWith('bond_')) params[k] = v;
    const vlan = r.form.get('vlan');
    return add(m, { name: name!, type: 'bond', macAddress: r.form.get('mac_address') ?? ps[0]!.macAddress,
      vlanId: vlan ? Number(vlan) : ps[0]!.vlanId, parents: ps.map((x) => x.name), mtu: Number(r.form.get('mtu') ?? 1500),
      params });
  };

  const createVlan = (r: MaasRequest, m: SimMachine): MaasReply => {
    const parent = m.interfaces.find((x) => String(x.id) === r.form.get('parent'));
    const vlan = net.vlans.find((v) => String(v.id) === r.form.get('vlan'));
    if (!parent) return validation({ parent: ['This field is required.'] });
    if (!vlan) return validation({ vlan: ['This field is required.'] });
    if (vlan.vid === 0) return validation({ vlan: ["A VLAN interface can't belong to an untagged VLAN."] });
    const name = `${parent.name}.${vlan.vid}`;
    if (m.interfaces.some((x) => x.name === name)) return validation({ __all__: ['Interface with this VLAN and parent already exists.'] });
    const errors = vlanErrors(r, net, m, parent, vlan.id);
    if (Object.keys(errors).length) return validation(errors);
    return add(m, { name, type: 'vlan', macAddress: parent.macAddress, vlanId: vlan.id, parents: [parent.name],
      mtu: Number(r.form.get('mtu') ?? vlan.mtu) });
  };

  const linkSubnet = (r: MaasRequest, m: SimMachine, i: SimInterface | null): MaasReply => {
    const mode = (r.form.get('mode') ?? '').toLowerCase();
    if (!MODES.includes(mode)) {
      return validation({ mode: [mode ? `Select a valid choice. ${mode} is not one of the available choices.` : 'This field is required.'] });
    }
    const subnet = net.subnets.find((s) => String(s.id) === r.form.get('subnet'));
    if (!subnet && mode !== 'link_up') return validation({ subnet: ['This field is required.'] });
    const errors = linkErrors(r, net, m, i!, mode);
    if (Object.keys(errors).length) return validation(errors);
    const ip = r.form.get('ip_address');
    if (mode === 'static' && ip && m.interfaces.some((x) => x.links.some((l) => l.ipAddress === ip))) {
      return validation({ ip_address: [`IP address ${ip} already in use.`] });
    }
    const link = { id: st.ids.next(), mode, subnetId: subnet?.id ?? null,
      ipAddress: mode === 'static' ? ip ?? nextFree(st, subnet!.cidr) : null };
    // LINK_UP replaces all others; MAAS refuses LINK_UP next to other links unless forced.
    if (mode === 'link_up') i!.links = [];
    i!.links = i!.links.filter((l) => l.mode !== 'link_up');
    i!.links.push(link);
    if (subnet) i!.vlanId = subnet.vlanId;
    if (formBool(r.form.get('default_gateway'))) m.gatewayLinkId = link.id;
    return json(interfaceDoc(net, m, i!));
  };

  const unlinkSubnet = (r: MaasRequest, m: SimMachine, i: SimInterface | null): MaasReply => {
    const before = i!.links.length;
    i!.links = i!.links.filter((l) => String(l.id) !== r.form.get('id'));
    if (i!.links.length === before) return validation({ id: ['Select a valid choice. That choice is not one of the available choices.'] });
    return json(interfaceDoc(net, m, i!));
  };

  return [
    { path: /^\/nodes\/([^/]+)\/interfaces\/$/, ops: {
      GET: on(null, (_r, m) => json(m.interfaces.map((x) => interfaceDoc(net, m, x)))),
      'POST create_bond': on('create bond', createBond),
      'POST create_vlan': on('create VLAN', createVlan),
    } },
    { path: /^\/nodes\/([^/]+)\/interfaces\/([^/]+)\/$/, ops: {
      GET: on(null, (_r, m, i) => json(interfaceDoc(net, m, i!))),
      PUT: on('update', (r, m, i) => {
        if (r.form.get('name')) i!.name = r.form.get('name')!;
        // A machine interface moved to another VLAN loses its links (models/signals/interfaces.py interface_vlan_update).
        if (r.form.get('vlan') && Number(r.form.get('vlan')) !== i!.vlanId) (i!.vlanId = Number(r.form.get('vlan')), i!.links = []);
        if (r.form.get('mtu')) i!.mtu = Number(r.form.get('mtu'));
        return json(interfaceDoc(net, m, i!));
      }),
      DELETE: on('delete', (_r, m, i) => {
        m.interfaces.splice(m.interfaces.indexOf(i!), 1);
        return { status: 204, body: '' };
      }),
      'POST link_subnet': on('link subnet', linkSubnet),
      'POST unlink_subnet': on('unlink subnet', unlinkSubnet),
      'POST disconnect': on('disconnect', (_r, m, i) => {
        i!.links = [];
        i!.vlanId = -1;
        return json(interfaceDoc(net, m, i!));
      }),
      'POST set_default_gateway': on('set default gateway', (_r, m, i) => json(interfaceDoc(net, m, i!))),
    } },
  ];
}
