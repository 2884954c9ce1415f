import { encodeBsonBinaries } from './bson.ts';
import { json, text, validation, type MaasReply, type MaasRequest } from './http-util.ts';
import { createMachine } from './machine-create.ts';
import { StateViolation, acquire, startCommissioning, startDeploying, startReleasing } from './lifecycle.ts';
import { machineDoc } from './machine-doc.ts';
import { setStorageLayout } from './storage-layout.ts';
import type { SimMachine } from './model.ts';
import { lldpXml, lshwXml } from './probe.ts';
import type { Route } from './router.ts';
import type { SimState } from './state.ts';
import { NODE_STATUS as S, RELEASABLE, STATUS_LABEL } from './status.ts';

/**
 * machines/ and machines/{system_id}/, after canonical/maas
 * src/maasserver/api/machines.py (MachineHandler, MachinesHandler) and the
 * node mixins of api/nodes.py (power_parameters, details,
 * set_workload_annotations, filtering of the collection read).
 */
// fields.py MAC_FIELD_RE: six pairs separated by ':' or '-'.
const MAC_RE = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;
const NOT_FOUND = text(404, 'No Machine matches the given query.');
// A DNS label, as MAAS's hostname validation (validate_hostname) requires.
const HOSTNAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

export function machineRoutes(st: SimState): Route[] {
  const doc = (m: SimMachine) => machineDoc(st.network, m, st.tagNamesOf(m));
  const one = (fn: (r: MaasRequest, m: SimMachine) => MaasReply) => (r: MaasRequest, p: string[]) => {
    const m = st.machine(p[0]!);
    if (!m) return NOT_FOUND;
    try {
      return fn(r, m);
    } catch (e) {
      if (e instanceof StateViolation) return text(409, e.message);
      throw e;
    }
  };

  const list = (r: MaasRequest): MaasReply => {
    const macs = r.query.getAll('mac_address');
    const bad = macs.filter((mac) => !MAC_RE.test(mac));
    if (bad.length) return text(400, `Invalid MAC address(es): ${bad.join(', ')}`);
    const ids = r.query.getAll('id');
    const hostnames = r.query.getAll('hostname');
    const domains = r.query.getAll('domain');
    const found = st.machines.filter((m) =>
      (!ids.length || ids.includes(m.systemId))
      && (!hostnames.length || hostnames.includes(m.hostname))
      && (!macs.length || m.interfaces.some((i) => macs.some((mac) => mac.toLowerCase().replace(/-/g, ':') === i.macAddress)))
      && (!domains.length || domains.includes(st.network.domains.find((d) => d.id === m.domainId)!.name)));
    return json(found.map(doc));
  };

  const powerParametersAll = (r: MaasRequest): MaasReply => {
    const ids = r.query.getAll('id');
    const chosen = st.machines.filter((m) => !ids.length || ids.includes(m.systemId));
    return json(Object.fromEntries(chosen.map((m) => [m.systemId, m.powerParameters])));
  };

  const allocate = (r: MaasRequest): MaasReply => {
    const systemId = r.form.get('system_id');
    const name = r.form.get('name');
    const m = st.machines.find((x) => x.status === S.READY && x.owner === null
      && (!systemId || x.systemId === systemId) && (!name || x.hostname === name.split('.')[0]));
    if (!m) {
      const message = systemId ? `No machine with system ID ${systemId} available.`
        : name ? `No available machine matches constraints: [('name', ['${name}'])] (resolved to "name=${name}")`
        : 'No machine available.';
      return text(409, message);
    }
    acquire(st, m);
    return json(doc(m));
  };

  const update = (r: MaasRequest, m: SimMachine): MaasReply => {
    const hostname = r.form.get('hostname');
    if (hostname !== null && !HOSTNAME_RE.test(hostname)) {
      return validation({ hostname: [`Invalid hostname: Label cannot start or end with hyphen or contain invalid characters: '${hostname}'.`] });
    }
    const domain = r.form.get('domain');
    let domainId = m.domainId;
    if (domain !== null) {
      const d = st.network.domains.find((x) => String(x.id) === domain || x.name === domain);
      if (!d) return validation({ domain: ['Select a valid choice. That choice is not one of the available choices.'] });
      domainId = d.id;
    }
    if (hostname !== null) m.hostname = hostname;
    m.domainId = domainId;
    const powerType = r.form.get('power_type');
    if (powerType !== null) m.powerType = powerType;
    for (const [k, v] of r.form.entries()) {
      if (k.startsWith('power_parameters_') && k !== 'power_parameters_skip_check') {
        m.powerParameters[k.slice('power_parameters_'.length)] = v;
      }
    }
    return json(doc(m));
  };

  const deploy = (r: MaasRequest, m: SimMachine): MaasReply => {
    if (m.status === S.READY) acquire(st, m);
    startDeploying(st, m);
    m.osystem = 'ubuntu';
    m.distroSeries = r.form.get('distro_series') ?? 'jammy';
    m.hweKernel = r.form.get('hwe_kernel');
    m.userData = r.form.get('user_data');
    return json(doc(m));
  };

  const release = (r: MaasRequest, m: SimMachine): MaasReply => {
    if (m.status === S.RELEASING || m.status === S.READY) return json(doc(m));
    if (!RELEASABLE.includes(m.status)) {
      return text(409, `Machine cannot be released in its current state ('${STATUS_LABEL[m.status]}').`);
    }
    startReleasing(st, m, ['true', '1', 'on', 'yes'].includes((r.form.get('erase') ?? '').toLowerCase()));
    return json(doc(m));
  };

  const annotate = (r: MaasRequest, m: SimMachine): MaasReply => {
    if (m.owner !== st.username) return text(409, 'Cannot set workload annotation: it hasn\'t been acquired.');
    for (const [k, v] of r.form.entries()) {
      if (k === 'op') continue;
      if (v === '') delete m.ownerData[k];
      else m.ownerData[k] = v;
    }
    // nodes.py returns the node (200); its docstring documents 204, which a MAAS may answer.
    return st.annotationsNoContent ? { status: 204, body: '' } : json(doc(m));
  };

  return [
    {
      path: /^\/machines\/$/,
      ops: { GET: list, POST: (r) => createMachine(st, r), 'GET power_parameters': powerParametersAll, 'POST allocate': allocate },
    },
    {
      path: /^\/machines\/([^/]+)\/$/,
      ops: {
        GET: one((_r, m) => json(doc(m))),
        PUT: one(update),
        DELETE: (_r, p) => {
          const i = st.machines.findIndex((m) => m.systemId === p[0]);
          if (i < 0) return NOT_FOUND;
          st.machines.splice(i, 1);
          return { status: 204, body: '' };
        },
        'POST commission': one((_r, m) => (startCommissioning(st, m), json(doc(m)))),
        'POST deploy': one(deploy),
        'POST release': one(release),
        'POST set_workload_annotations': one(annotate),
        'POST set_owner_data': one(annotate),
        'POST set_storage_layout': one((r, m) => setStorageLayout(st, r, m)),
        'POST restore_networking_configuration': one((_r, m) => {
          if (m.status !== S.READY && m.status !== S.FAILED_TESTING) {
            return text(409, 'Machine must be in a ready or failed testing state to restore networking configuration');
          }
          // Back to the commissioned NICs (physical ones), then models/node.py
          // set_initial_networking_configuration: the boot NIC AUTO on a subnet of
          // its VLAN (force_auto_or_dhcp_link: DHCP when there is none), the others LINK_UP.
          m.interfaces = m.interfaces.filter((i) => i.type === 'physical');
          for (const i of m.interfaces) {
            i.vlanId = st.network.defaultVlan().id;
            const subnet = st.network.subnets.find((x) => x.vlanId === i.vlanId);
            const boot = i.id === m.bootInterfaceId;
            const mode = boot ? (subnet ? 'auto' : 'dhcp') : 'link_up';
            i.links = [{ id: st.ids.next(), mode, subnetId: boot ? subnet?.id ?? null : null, ipAddress: null }];
          }
          m.gatewayLinkId = null;
          return json(doc(m));
        }),
        'GET power_parameters': one((_r, m) => json(m.powerParameters)),
        'GET query_power_state': one((_r, m) => json({ state: m.powerState })),
        'GET details': one((_r, m) => detailsOf(m)),
      },
    },
  ];
}

/** api/nodes.py details: BSON {lldp, lshw}, each Binary or null before commissioning. */
function detailsOf(m: SimMachine): MaasReply {
  const body = encodeBsonBinaries({
    lldp: m.commissioned ? lldpXml(m) : null,
    lshw: m.commissioned ? lshwXml(m) : null,
  });
  return { status: 200, body, contentType: 'application/bson' };
}
