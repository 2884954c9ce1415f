import { ConfigError, type Config } from '../../core/config.ts';

/**
 * Workers' fetch always verifies certificates against public roots, with no
 * way to add a CA or skip the check: a BMC with a self-signed certificate
 * cannot be reached from there. A setting that asks otherwise stops start-up
 * instead of failing every power action.
 */
export function workersTlsRefusal(config: Config): ConfigError | null {
  const way = 'Workers cannot trust a private CA or skip certificate checks; reach BMCs with private certificates through the site agent (a later issue), or give them certificates from a public CA';
  if (config.REDFISH_CA_FILE) return new ConfigError('REDFISH_CA_FILE', way);
  if (!config.REDFISH_VERIFY_TLS) return new ConfigError('REDFISH_VERIFY_TLS', way);
  return null;
}
