import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import { failureOf } from './failure.ts';
import { OobError } from './oob-error.ts';

/** Where a node's BMC answers: Drydock's address on `oob.network`, with our `oob.port` and `oob.use_ssl`. */
export interface BmcAddress {
  host: string;
  /** null: the scheme's default port */
  port: number | null;
  useSsl: boolean;
}

function portOf(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new OobError(`oob.port ${JSON.stringify(value)} is not a port number (1-65535)`);
  }
  return port;
}

function useSslOf(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new OobError(`oob.use_ssl ${JSON.stringify(value)} is not true or false`);
}

/**
 * The node's BMC address, as Drydock's get_network_address(oob.network):
 * the node's static address on its OOB network. `oob.port` and `oob.use_ssl`
 * are extensions (the oob section allows extra keys); use_ssl defaults to
 * true, as Drydock's redfish_driver.use_ssl.
 */
export function bmcAddressOf(node: BaremetalNode): BmcAddress {
  const network = node.oob.network;
  if (!network) throw new OobError('oob.network is not set, so the BMC has no address');
  const assigned = node.addressing.find((a) => a.network === network);
  if (!assigned?.address) {
    throw new OobError(`the node has no static address on its oob network ${network}, so the BMC has no address`);
  }
  return { host: assigned.address, port: portOf(node.oob.params.port), useSsl: useSslOf(node.oob.params.use_ssl) };
}

/** The BMC's base URL, e.g. https://10.0.0.5 or http://[fd00::5]:8000. */
export function bmcUrl(address: BmcAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.useSsl ? 'https' : 'http'}://${host}${address.port === null ? '' : `:${address.port}`}`;
}

/** The account and credential Drydock reads from the oob section. */
export function bmcLoginOf(node: BaremetalNode): { account: string; credential: string } {
  const { account, credential } = node.oob;
  if (!account) throw new OobError('oob.account is not set: the BMC needs an account to log in with');
  if (!credential) throw new OobError('oob.credential is not set: the BMC needs a credential to log in with');
  return { account, credential };
}

/**
 * What keeps the site's nodes of these OOB types from reaching their BMC
 * (no address on the oob network, no login): one line per node, credentials
 * masked. The ValidateOobServices of the BMC drivers (redfish, ipmi).
 */
export function bmcProblems(site: SiteModel, oobTypes: readonly string[]): string[] {
  const problems: string[] = [];
  for (const node of site.nodes.values()) {
    if (!oobTypes.includes(node.oob.type ?? '')) continue;
    try {
      bmcAddressOf(node);
      bmcLoginOf(node);
    } catch (err) {
      problems.push(failureOf(node.name, null, err, [node.oob.credential]).reason);
    }
  }
  return problems;
}
