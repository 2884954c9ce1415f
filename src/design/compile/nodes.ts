import type { DesignDocument } from '../document.ts';
import type { BaremetalNode, HardwareProfile, IpAddressAssignment, Network, ValidationMessage } from '../model.ts';
import { finalHost, mergeHostLayers, parseHostLayer } from './host-layer.ts';
import { resolveKernelParams } from './kernel-params.ts';
import { EMPTY_HOST } from './layers.ts';
import { compileError, docRef } from './messages.ts';
import type { ProfileResolver } from './profiles.ts';
import { body, list, str } from './values.ts';

export interface NodeContext {
  profiles: ProfileResolver;
  hardwareProfiles: ReadonlyMap<string, HardwareProfile>;
  networks: ReadonlyMap<string, Network>;
  messages: ValidationMessage[];
}

/**
 * `address: dhcp` is a DHCP assignment, any other address static. The parser
 * already refuses a node without addresses or with an empty one (Drydock's
 * ingest errors); an incomplete entry that gets here is skipped.
 */
function addressing(value: unknown): IpAddressAssignment[] {
  const out: IpAddressAssignment[] = [];
  for (const raw of list(value)) {
    const a = body(raw);
    const network = str(a.network);
    const address = str(a.address) ?? '';
    if (network === null || address === '') continue;
    out.push(address === 'dhcp' ? { network, type: 'dhcp', address: null } : { network, type: 'static', address });
  }
  return out;
}

/**
 * Drydock's compile_applied_model: the node is a host profile whose parent is
 * its `host_profile`; then its hardware profile must exist (Drydock raised
 * and lost the whole site; here the node stays, with a DD002 error) and
 * supplies kernel parameter references.
 *
 * Domain: the primary network's `dns.domain`, null when the network or its
 * domain is missing (Drydock's get_domain then says `local`; the boot action
 * renderer applies that fallback). The `default` network alias of Drydock's
 * template context (the primary network's entry, repeated as `default` when
 * the node has an address on it) is likewise built by the renderer from
 * `primaryNetwork` and `addressing`; the model records no alias.
 */
export function compileNode(doc: DesignDocument, ctx: NodeContext): BaremetalNode {
  const data = doc.data;
  const ref = docRef(doc);
  const hostProfile = str(data.host_profile);
  let base = EMPTY_HOST;
  if (hostProfile !== null) {
    if (ctx.profiles.has(hostProfile)) {
      base = ctx.profiles.resolve(hostProfile);
    } else {
      const text = `BaremetalNode ${doc.name} names host profile ${hostProfile}, which is not defined.`;
      ctx.messages.push(compileError(text, [ref]));
    }
  }
  const host = finalHost(mergeHostLayers(parseHostLayer(data), base));

  if (host.hardwareProfile === null) {
    ctx.messages.push(compileError(`BaremetalNode ${doc.name} has no hardware profile.`, [ref]));
  } else {
    const hw = ctx.hardwareProfiles.get(host.hardwareProfile);
    if (hw === undefined) {
      const text = `BaremetalNode ${doc.name} names hardware profile ${host.hardwareProfile}, which is not defined.`;
      ctx.messages.push(compileError(text, [ref]));
    } else {
      host.platform.kernelParams = resolveKernelParams(host.platform.kernelParams, hw);
    }
  }

  const primary = host.primaryNetwork === null ? undefined : ctx.networks.get(host.primaryNetwork);

  return {
    name: doc.name,
    doc: ref,
    ...host,
    hostProfile,
    addressing: addressing(data.addressing),
    bootMac: str(body(data.metadata).boot_mac),
    domain: primary?.dnsDomain ?? null,
    labels: { ...host.ownerData },
  };
}
