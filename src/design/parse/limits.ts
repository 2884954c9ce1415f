/**
 * Hard limits on reading one design, checked before and while it is parsed,
 * so no document can crash or stall the process that reads it: the YAML
 * readers recurse once per nesting level (V8 aborts the whole process, not
 * just the call, when a regular expression is compiled near the stack's
 * end), and the `yaml` package resolves each alias by walking the document
 * before it (quadratic in the number of aliases).
 */
export interface DesignLimits {
  /** Deepest nesting of collections (block indentation, `- `/`? ` entries, flow `[`/`{`). */
  maxDepth: number;
  /** Most nodes (scalars, collections, aliases) in the whole design. */
  maxNodes: number;
  /** Most alias references (`*name`) in the whole design. */
  maxAliases: number;
  /** Milliseconds one read may take; 0: no deadline. */
  timeoutMs: number;
}

/** What each limit is called, and the setting that raises it. */
export const LIMIT_SETTINGS = {
  depth: 'DESIGN_MAX_DEPTH',
  nodes: 'DESIGN_MAX_NODES',
  aliases: 'DESIGN_MAX_ALIASES',
  time: 'DESIGN_PARSE_TIMEOUT_MS',
  memory: 'DESIGN_WORKER_MEMORY_MB',
} as const;

export type LimitName = keyof typeof LIMIT_SETTINGS;

/** Defaults that Drydock's sample sites and the 10,000-node bench site fit with margin. */
export const DEFAULT_DESIGN_LIMITS: DesignLimits = {
  maxDepth: 64,
  maxNodes: 2_000_000,
  maxAliases: 100,
  timeoutMs: 30_000,
};

/** A design over one of the limits; plain data, so it crosses a worker boundary as is. */
export interface LimitFailure {
  limit: LimitName;
  setting: string;
  message: string;
}

export class DesignLimitExceeded extends Error {
  override name = 'DesignLimitExceeded';
  readonly failure: LimitFailure;

  constructor(limit: LimitName, message: string) {
    super(message);
    this.failure = { limit, setting: LIMIT_SETTINGS[limit], message };
  }
}

/** The one sentence every limit failure has: what was exceeded, and which setting raises it. */
export function limitMessage(limit: LimitName, what: string): string {
  return `The design exceeds a limit: ${what} (${LIMIT_SETTINGS[limit]})`;
}

export function limitExceeded(limit: LimitName, what: string): DesignLimitExceeded {
  return new DesignLimitExceeded(limit, limitMessage(limit, what));
}

/** A clock check for the places a read can stop between steps (documents, phases). */
export type Deadline = () => void;

export function deadlineFor(timeoutMs: number, now: () => number = Date.now): Deadline {
  if (timeoutMs <= 0) return () => {};
  const end = now() + timeoutMs;
  return () => {
    if (now() > end) throw limitExceeded('time', `reading it took longer than ${timeoutMs} ms`);
  };
}

export const NO_DEADLINE: Deadline = () => {};
