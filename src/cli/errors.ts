/**
 * What the CLI can fail with, and the exit code each means: 2 for a usage
 * error or a server (or Keystone) the CLI cannot reach or use, 1 for an
 * answer of the API that refuses the request. Only the message is printed,
 * never a stack.
 */
export class CliError extends Error {
  readonly exitCode: number;
  /** Further lines below the message (the Status envelope's error messages). */
  readonly details: string[];
  /** The API's answer, when there was one. */
  readonly body: unknown;

  constructor(message: string, exitCode: number, details: string[] = [], body?: unknown) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.details = details;
    this.body = body;
  }
}

export const usageError = (message: string) => new CliError(message, 2);

export const connectionError = (message: string) => new CliError(message, 2);

interface StatusLike {
  message?: unknown;
  reason?: unknown;
  details?: { messageList?: Array<{ message?: unknown; error?: unknown; name?: unknown }> };
}

/** The lines of an error answer: the envelope's message, then each error of its messageList. */
export function apiError(status: number, body: unknown): CliError {
  const doc = (typeof body === 'object' && body !== null ? body : {}) as StatusLike;
  const given = typeof doc.message === 'string' && doc.message ? doc.message : null;
  const message = given ?? `HTTP ${status}`;
  const details = (doc.details?.messageList ?? [])
    .filter((m) => m.error !== false && typeof m.message === 'string' && m.message !== message)
    .map((m) => (typeof m.name === 'string' ? `${m.name}: ${String(m.message)}` : String(m.message)));
  return new CliError(given ? `${given} (HTTP ${status})` : message, 1, details, body);
}

/** Why fetch failed, in a few words (ECONNREFUSED and friends sit in `cause`). */
export function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') {
    const words: Record<string, string> = {
      ECONNREFUSED: 'connection refused',
      ENOTFOUND: 'host not found',
      ECONNRESET: 'connection reset',
      ETIMEDOUT: 'timed out',
      EHOSTUNREACH: 'host unreachable',
    };
    return `${words[cause.code] ?? 'cannot connect'} (${cause.code})`;
  }
  const name = (err as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') return 'timed out';
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
