/**
 * The template context, as Drydock's BootActionAsset._get_template_context:
 *   node.hostname, node.domain (the primary network's DNS domain, `local`
 *   when it has none), node.tags, node.labels (the node's owner_data),
 *   node.network.<network>.{ip, cidr, dns_suffix} for each network the node
 *   has a static address on, node.network.default (the primary network's
 *   entry), node.interfaces.<device>.{sriov, vf_count, trustedmode}
 *   (vf_count and trustedmode only for SR-IOV interfaces);
 *   action.action_id (ULID), action.action_key (hex), action.report_url,
 *   action.design_ref.
 */
import type { BaremetalNode, SiteModel } from '../../design/model.ts';

export interface NetworkContext {
  ip: string;
  cidr: string | null;
  dns_suffix: string | null;
}

export interface InterfaceContext {
  sriov: boolean;
  vf_count?: number;
  trustedmode?: boolean;
}

export interface NodeContext {
  hostname: string;
  domain: string;
  tags: string[];
  labels: Record<string, string>;
  network: Record<string, NetworkContext>;
  interfaces: Record<string, InterfaceContext>;
}

export interface ActionContext {
  action_id: string;
  action_key: string;
  report_url: string;
  design_ref: string;
}

export interface TemplateContext {
  node: NodeContext;
  action: ActionContext;
}

export function nodeContext(site: SiteModel, node: BaremetalNode): NodeContext {
  // Entries then Object.fromEntries, so a name such as __proto__ stays a plain key.
  const network: Array<[string, NetworkContext]> = [];
  for (const a of node.addressing) {
    if (a.address === null) continue;
    // Drydock failed the whole render for an address on an undefined network; keep the address.
    const net = site.networks.get(a.network);
    const entry = { ip: a.address, cidr: net?.cidr ?? null, dns_suffix: net?.dnsDomain ?? null };
    network.push([a.network, entry]);
    if (a.network === node.primaryNetwork) network.push(['default', entry]);
  }
  const interfaces = node.interfaces.map((i): [string, InterfaceContext] => [
    i.deviceName,
    i.sriov ? { sriov: true, vf_count: i.vfCount ?? 0, trustedmode: i.trustedMode ?? false } : { sriov: false },
  ]);
  return {
    hostname: node.name,
    domain: node.domain || 'local',
    tags: [...node.tags],
    labels: { ...node.ownerData },
    network: Object.fromEntries(network),
    interfaces: Object.fromEntries(interfaces),
  };
}

export function actionContext(args: { actionId: string; actionKey: string; reportUrl: string; designRef: string }): ActionContext {
  return { action_id: args.actionId, action_key: args.actionKey, report_url: args.reportUrl, design_ref: args.designRef };
}

export interface TemplateContextArgs {
  site: SiteModel;
  node: BaremetalNode;
  actionId: string;
  actionKey: string;
  reportUrl: string;
  designRef: string;
}

export function templateContext(args: TemplateContextArgs): TemplateContext {
  return { node: nodeContext(args.site, args.node), action: actionContext(args) };
}
