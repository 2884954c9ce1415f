import type { Config } from '../../core/config.ts';
import type { MaasSettings } from './driver.ts';

// Drydock's MAAS client retries after 2^n seconds; a second's base keeps a 503 burst from failing a step.
const BACKOFF_MS = 1000;

/** The MAAS driver's settings from the MAAS_* variables (config.ts requires MAAS_URL and MAAS_API_KEY with NODE_DRIVER=maas). */
export function maasSettingsOf(config: Config): MaasSettings {
  const pollMs = config.MAAS_POLL_INTERVAL_MS;
  return {
    url: config.MAAS_URL ?? '',
    apiKey: config.MAAS_API_KEY ?? '',
    timeoutMs: config.MAAS_REQUEST_TIMEOUT_MS,
    retries: config.MAAS_RETRIES,
    backoffMs: BACKOFF_MS,
    useNodeOobParams: config.MAAS_USE_NODE_OOB_PARAMS,
    commission: { pollMs, timeoutMs: config.MAAS_COMMISSION_TIMEOUT_MINUTES * 60_000, skipBmcConfig: config.MAAS_SKIP_BMC_CONFIG },
    deploy: { pollMs, timeoutMs: config.MAAS_DEPLOY_TIMEOUT_MINUTES * 60_000 },
    destroy: { pollMs, timeoutMs: config.MAAS_DESTROY_TIMEOUT_MINUTES * 60_000 },
    keyDelivery: config.MAAS_BOOTACTION_KEY_DELIVERY,
  };
}
