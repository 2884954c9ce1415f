import { ConfigError, everyCallAtAgents, type Config } from '../core/config.ts';

const AGENT = 'the site agent (DRIVER_LOCATION=agent)';

/**
 * Settings Workers cannot honour stop start-up there, instead of failing
 * every power action later. Workers' fetch always verifies certificates
 * against public roots (no private CA, no skipping the check), and a Worker
 * has neither UDP (IPMI) nor child processes (ipmitool, virsh).
 */
export function workersDriverRefusal(config: Config): ConfigError | null {
  // Every call runs at the site's agent: nothing here needs what Workers lack.
  if (everyCallAtAgents(config)) return null;
  const tls = `Workers cannot trust a private CA or skip certificate checks; reach BMCs with private certificates through ${AGENT}, or give them certificates from a public CA`;
  if (config.REDFISH_CA_FILE) return new ConfigError('REDFISH_CA_FILE', tls);
  if (!config.REDFISH_VERIFY_TLS) return new ConfigError('REDFISH_VERIFY_TLS', tls);
  if (config.KUBERNETES_CA_FILE) {
    return new ConfigError(
      'KUBERNETES_CA_FILE',
      'Workers cannot trust a private CA (nor read a file): reach the Kubernetes API server through an endpoint with a publicly trusted certificate, or run this service on Node or Deno',
    );
  }
  const local = config.OOB_DRIVER.filter((name) => name === 'ipmi' || name === 'libvirt');
  if (local.length > 0) {
    return new ConfigError(
      'OOB_DRIVER',
      `${local.join(' and ')} cannot run on Workers (IPMI needs UDP and ipmitool, libvirt needs virsh; a Worker has neither); ` +
        `run this service on Node or Deno inside the site, or reach those BMCs through ${AGENT}`,
    );
  }
  return null;
}
