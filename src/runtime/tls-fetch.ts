import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import { ConfigError } from '../core/config.ts';

declare const Deno: { createHttpClient(options: { caCerts?: string[] }): unknown } | undefined;

/** A PEM bundle named by `variable` (REDFISH_CA_FILE, KUBERNETES_CA_FILE), checked to hold a certificate. */
export async function readCaBundle(path: string, variable: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(variable, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(variable, `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return pem;
}

export const onDeno = (): boolean => typeof Deno !== 'undefined';

/**
 * A fetch that trusts `pem` besides the system's roots, or (verify false, Node
 * only) any certificate. Node: undici's own fetch with its own Agent (Node
 * 20's global fetch is a bundled undici 6, whose dispatcher an undici 7 Agent
 * must not be mixed with). Deno: Deno.createHttpClient({ caCerts }); Deno
 * cannot turn verification off per client, so callers refuse that first.
 */
export async function tlsFetch(pem: string | null, verify: boolean): Promise<typeof fetch> {
  if (typeof Deno !== 'undefined') {
    const client = Deno.createHttpClient({ caCerts: pem ? [pem] : [] });
    return (input, init) => fetch(input, { ...init, client } as unknown as RequestInit);
  }
  const { Agent, fetch: undiciFetch } = await import('undici');
  const dispatcher = new Agent({ connect: { ca: pem ? [...rootCertificates, pem] : undefined, rejectUnauthorized: verify } });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown as typeof fetch;
}
