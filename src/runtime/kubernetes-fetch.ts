import type { Config } from '../core/config.ts';
import { readCaBundle, tlsFetch } from './tls-fetch.ts';

/**
 * The fetch the kubernetes driver talks to the API server with, on Node and
 * Deno: a cluster's API server certificate is signed by the cluster's own CA
 * (a kubeconfig's certificate-authority-data), so KUBERNETES_CA_FILE adds that
 * bundle to the system's roots. Unset: undefined, the global fetch. There is
 * no switch to skip verification: the bearer token would go to anyone.
 */
export async function kubernetesFetchFor(config: Config): Promise<typeof fetch | undefined> {
  if (config.KUBERNETES_DRIVER !== 'kubernetes' || !config.KUBERNETES_CA_FILE) return undefined;
  return tlsFetch(await readCaBundle(config.KUBERNETES_CA_FILE, 'KUBERNETES_CA_FILE'), true);
}
