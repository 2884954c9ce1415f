/**
 * How a lease long poll (services/agents/lease.ts) learns that a call of its
 * site was queued (remote-run.ts, or a revoked agent's calls going back to
 * the queue). Looking at the database every `pollMs` always works, whoever
 * queued the call; a wake-up only reaches leases waiting in the process
 * that queued it, so it shortens the wait without replacing the look.
 */
export interface CallWatch {
  /** Settles once a call of the watched site is queued after watch() (never, when polling only). */
  readonly woken: Promise<void>;
  /** Unregisters the watch; the lease calls it however its request ends. */
  close(): void;
}

export interface CallWakeups {
  /** How long a waiting lease sleeps between two looks at the database. */
  readonly pollMs: number;
  /** A call of `site` was queued (or queued again). */
  queued(site: string): void;
  /**
   * Watches `site`. Armed before a lease looks at the database, a watch
   * settles for a call queued between that look and the wait: no wake-up
   * is lost to the race.
   */
  watch(site: string): CallWatch;
  /** Open watches of `site` (or of every site): 0 once every lease request ended. */
  watching(site?: string): number;
}

/** The long poll's look at the database, every half second. */
export const DEFAULT_POLL_MS = 500;

const NEVER: CallWatch = { woken: new Promise<void>(() => {}), close: () => {} };

/**
 * Looks only: Workers. The orchestrator queues calls in the Queue consumer's
 * isolate, while a lease waits in whichever isolate took the agent's request,
 * often another one (or another machine), and isolates share no memory. (A
 * promise settled from another request's context in the same isolate does
 * not reliably wake it either.) A Durable Object per site could carry the
 * wake-up between isolates; until then a lone call waits up to `pollMs`.
 */
export function pollingOnly(pollMs = DEFAULT_POLL_MS): CallWakeups {
  return { pollMs, queued: () => {}, watch: () => NEVER, watching: () => 0 };
}

/**
 * Node and Deno: the orchestrator and the agent API share one process, so
 * queueing a call settles the watches of its site at once. Other processes
 * on the same database are still found by the look every `pollMs`.
 */
export function inProcessWakeups(pollMs = DEFAULT_POLL_MS): CallWakeups {
  const bySite = new Map<string, Set<() => void>>();
  const remove = (site: string, wake: () => void) => {
    const watches = bySite.get(site);
    if (!watches) return;
    watches.delete(wake);
    if (watches.size === 0) bySite.delete(site);
  };
  return {
    pollMs,
    queued(site) {
      const watches = bySite.get(site);
      if (!watches) return;
      bySite.delete(site);
      for (const wake of watches) wake();
    },
    watch(site) {
      let wake = () => {};
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const watches = bySite.get(site) ?? new Set();
      watches.add(wake);
      bySite.set(site, watches);
      return { woken, close: () => remove(site, wake) };
    },
    watching(site) {
      if (site !== undefined) return bySite.get(site)?.size ?? 0;
      let open = 0;
      for (const watches of bySite.values()) open += watches.size;
      return open;
    },
  };
}
