/** What an agent said of itself in its last heartbeat, and whether it counts as live. */

export interface AgentReport {
  version: string | null;
  drivers: string[];
  tools: Record<string, boolean>;
}

/** The `reported` column read defensively: it is whatever the last heartbeat held. */
export function reportedOf(stored: unknown): AgentReport {
  const r = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<AgentReport>;
  return {
    version: typeof r.version === 'string' ? r.version : null,
    drivers: Array.isArray(r.drivers) ? r.drivers.filter((d): d is string => typeof d === 'string') : [],
    tools: typeof r.tools === 'object' && r.tools !== null ? r.tools : {},
  };
}

/** Live: not revoked and seen within `liveSeconds`. */
export function isLive(row: { revoked: Date | null; lastSeen: Date | null }, now: Date, liveSeconds: number): boolean {
  if (row.revoked || !row.lastSeen) return false;
  return now.getTime() - row.lastSeen.getTime() <= liveSeconds * 1000;
}
