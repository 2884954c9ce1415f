import { ConfigError, type Config } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import { onDeno, readCaBundle, tlsFetch } from './tls-fetch.ts';

/**
 * The fetch the Redfish driver talks to BMCs with, on Node and Deno. BMCs
 * mostly have self-signed certificates: REDFISH_CA_FILE adds a bundle to the
 * system's roots; REDFISH_VERIFY_TLS=false accepts any certificate (Drydock's
 * behaviour, warned about). With neither, undefined: the global fetch.
 */
export async function redfishFetchFor(config: Config, logger: Logger): Promise<typeof fetch | undefined> {
  const verify = config.REDFISH_VERIFY_TLS;
  const caFile = config.REDFISH_CA_FILE;
  if (verify && !caFile) return undefined;
  const pem = caFile ? await readCaBundle(caFile, 'REDFISH_CA_FILE') : null;
  if (onDeno() && !verify) {
    throw new ConfigError(
      'REDFISH_VERIFY_TLS',
      'Deno cannot skip certificate checks for one client: set REDFISH_CA_FILE to the BMCs\' CA bundle, or start Deno with --unsafely-ignore-certificate-errors=<BMC addresses>',
    );
  }
  if (!verify) {
    logger.warn('REDFISH_VERIFY_TLS=false: BMC certificates are not checked, so anyone on the OOB network can pose as a BMC and read its credential; prefer REDFISH_CA_FILE');
  }
  return tlsFetch(pem, verify);
}
