import type { BaremetalNode } from '../../design/model.ts';
import { OobError } from '../oob/oob-error.ts';

/** A node's libvirt connection: the URI virsh gets, and what messages may show of it. */
export interface LibvirtTarget {
  /** As written in the design; passed to `virsh -c` only, never shown. */
  uri: string;
  /** The URI without its user part and with secret query values masked, for messages. */
  shown: string;
  /** Parts of the URI (and the node's oob.credential) that no message or log may hold. */
  secrets: string[];
}

// Query parameters whose values are secrets or point at them (libvirt's
// remote URI parameters: keyfile, pkipath; a password some hand-written URIs carry).
const SECRET_PARAMS = new Set(['keyfile', 'pkipath', 'password', 'passwd', 'known_hosts']);

const HIDDEN = '[hidden]';

/**
 * Refuses the parts of a libvirt URI that make virsh run a local program the
 * design names: the `ext` transport and the `command` parameter (the ssh or
 * ext program). A design author must not get a shell on this service's host.
 */
function refuseLocalCommands(url: URL, shown: string): void {
  const transport = url.protocol.slice(0, -1).split('+')[1];
  if (transport === 'ext') {
    throw new OobError(`libvirt_uri ${shown} uses the ext transport, which runs a local program; use ssh, libssh, tls, tcp or unix`);
  }
  // ssh takes a host starting with '-' as an option (-oProxyCommand=…).
  if (url.hostname.startsWith('-')) {
    throw new OobError(`libvirt_uri ${shown} has a host starting with '-', which ssh would read as an option`);
  }
  if (url.searchParams.has('command')) {
    throw new OobError(`libvirt_uri ${shown} sets command=, which names a local program to run; leave it out (ssh is used)`);
  }
}

function shownOf(url: URL): string {
  const query = [...url.searchParams.entries()]
    .map(([k, value]) => `${k}=${SECRET_PARAMS.has(k.toLowerCase()) ? HIDDEN : value}`)
    .join('&');
  const host = url.host ? url.host : '';
  return `${url.protocol}//${host}${url.pathname}${query ? `?${query}` : ''}`;
}

/**
 * The node's `oob.libvirt_uri` (Drydock's oob_parameters['libvirt_uri']),
 * e.g. qemu+ssh://virtuser@kvm-host/system. Drydock's driver also refuses
 * every scheme but qemu+ssh; that rule lives in design validation (DD4002)
 * here, so the driver itself runs any libvirt URI that runs no local program.
 */
export function libvirtTargetOf(node: BaremetalNode): LibvirtTarget {
  const raw = node.oob.params['libvirt_uri'];
  const secrets = [node.oob.credential ?? ''].filter(Boolean);
  if (raw === undefined || raw === null || raw === '') {
    throw new OobError('oob.libvirt_uri is not set: the libvirt driver needs the URI of the node\'s hypervisor (e.g. qemu+ssh://user@host/system)');
  }
  if (typeof raw !== 'string') throw new OobError('oob.libvirt_uri is not a string');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The text itself may hold a password, so it is not repeated.
    throw new OobError('oob.libvirt_uri is not a URI (expected e.g. qemu+ssh://user@host/system)');
  }
  if (url.username) secrets.push(decodeURIComponent(url.username), url.username);
  if (url.password) secrets.push(decodeURIComponent(url.password), url.password);
  for (const [k, value] of url.searchParams) if (SECRET_PARAMS.has(k.toLowerCase()) && value) secrets.push(value);
  const shown = shownOf(url);
  refuseLocalCommands(url, shown);
  // The whole URI too, when it differs from what may be shown (a URI with
  // nothing to hide is shown as written).
  return { uri: raw, shown, secrets: raw === shown ? secrets : [raw, ...secrets] };
}
