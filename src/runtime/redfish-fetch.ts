import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { ConfigError, type Config } from '../core/config.ts';
import type { Logger } from '../core/log.ts';

declare const Deno: { createHttpClient(options: { caCerts?: string[] }): unknown } | undefined;

async function readBundle(path: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError('REDFISH_CA_FILE', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError('REDFISH_CA_FILE', `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return pem;
}

/**
 * The fetch the Redfish driver talks to BMCs with, on Node and Deno. BMCs
 * mostly have self-signed certificates: REDFISH_CA_FILE adds a bundle to the
 * system's roots; REDFISH_VERIFY_TLS=false accepts any certificate (Drydock's
 * behaviour, warned about). With neither, undefined: the global fetch.
 *
 * Node: undici's own fetch with its own Agent (Node 20's global fetch is a
 * bundled undici 6, whose dispatcher an undici 7 Agent must not be mixed
 * with). Deno: Deno.createHttpClient({ caCerts }); Deno cannot turn
 * verification off per client, only per process with a flag.
 */
export async function redfishFetchFor(config: Config, logger: Logger): Promise<typeof fetch | undefined> {
  const verify = config.REDFISH_VERIFY_TLS;
  const caFile = config.REDFISH_CA_FILE;
  if (verify && !caFile) return undefined;
  const pem = caFile ? await readBundle(caFile) : null;
  if (typeof Deno !== 'undefined') {
    if (!verify) {
      throw new ConfigError(
        'REDFISH_VERIFY_TLS',
        'Deno cannot skip certificate checks for one client: set REDFISH_CA_FILE to the BMCs\' CA bundle, or start Deno with --unsafely-ignore-certificate-errors=<BMC addresses>',
      );
    }
    const client = Deno.createHttpClient({ caCerts: [pem as string] });
    return (input, init) => fetch(input, { ...init, client } as unknown as RequestInit);
  }
  if (!verify) {
    logger.warn('REDFISH_VERIFY_TLS=false: BMC certificates are not checked, so anyone on the OOB network can pose as a BMC and read its credential; prefer REDFISH_CA_FILE');
  }
  const { Agent, fetch: undiciFetch } = await import('undici');
  const dispatcher = new Agent({ connect: { ca: pem ? [...rootCertificates, pem] : undefined, rejectUnauthorized: verify } });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown as typeof fetch;
}
