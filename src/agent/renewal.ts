import type { Logger } from '../core/log.ts';
import { EdgeRefused, TokenRefused, type EdgeClient } from './edge-client.ts';
import type { Sleep } from './backoff.ts';

export interface RenewalDeps {
  client: EdgeClient;
  logger: Logger;
  sleep: Sleep;
  /** The edge's clock now (local time corrected by the heartbeat's server_time). */
  edgeNow: () => number;
  /** The shortest wait between renewals (a lease already past due is renewed this often). */
  minRenewMs: number;
  /** Stops the agent: a 401 on a renewal is a revoked token like any other. */
  fatal: (err: TokenRefused) => void;
}

export interface Renewal {
  /** Set once the edge answered 409: the call is, or will be, run by another lease. */
  readonly lost: boolean;
  stop(): void;
}

/**
 * Renews a call's lease every third of its remaining time while the call
 * runs, so two missed renewals (an edge hiccup) still leave the lease
 * standing. A renewal the edge does not get is tried again next time.
 */
export function startRenewal(deps: RenewalDeps, callId: string, leaseId: string, leaseExpires: string): Renewal {
  const abort = new AbortController();
  let expires = Date.parse(leaseExpires);
  let lost = false;
  const path = `/calls/${encodeURIComponent(callId)}/renew`;
  void (async () => {
    while (!abort.signal.aborted) {
      const remaining = Number.isFinite(expires) ? expires - deps.edgeNow() : 0;
      await deps.sleep(Math.max(deps.minRenewMs, remaining / 3), abort.signal);
      if (abort.signal.aborted) return;
      try {
        const answer = await deps.client.request('POST', path, { lease_id: leaseId }, { signal: abort.signal });
        const next = (answer.body as { lease_expires?: unknown } | null)?.lease_expires;
        if (typeof next === 'string') expires = Date.parse(next);
        deps.logger.debug('lease renewed', { call_id: callId, lease_expires: next });
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof TokenRefused) return deps.fatal(err);
        if (err instanceof EdgeRefused && err.status === 409) {
          lost = true;
          deps.logger.warn('lease lost while the call runs: the edge gave the call to another lease', { call_id: callId });
          return;
        }
        deps.logger.warn('lease renewal failed; trying again', { call_id: callId, error: err instanceof Error ? err.message : String(err) });
      }
    }
  })();
  return {
    get lost() {
      return lost;
    },
    stop: () => abort.abort(),
  };
}
