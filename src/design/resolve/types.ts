import type { SecretBox } from '../../core/secret-box.ts';
import type { Db } from '../../db/types.ts';
import { ApiError } from '../../core/errors.ts';

/** A design_ref turned into text; `ref` has any credentials masked, so it is safe to log or echo. */
export interface ResolvedDesign {
  text: string;
  contentType: string | null;
  ref: string;
}

/** What a file reader must enforce: it alone can see where symlinks lead and what a path really is. */
export interface ReadFileLimits {
  /** DESIGN_FILE_ROOT: the file's real path (symlinks resolved) must lie below it. */
  root: string;
  maxBytes: number;
  signal: AbortSignal;
}

/** Why a file reader refused a path; the resolver words each for the client, never with file content. */
export type FileRefusal = 'outside-root' | 'not-regular' | 'too-large';

export class FileRefused extends Error {
  constructor(readonly why: FileRefusal) {
    super(`file refused: ${why}`);
    this.name = 'FileRefused';
  }
}

export interface DesignResolverDeps {
  fetch: typeof fetch;
  db: Db;
  /** Opens design:// texts, which are stored sealed. */
  box: SecretBox;
  /** One deadline for the whole resolution, retries and backoff included. */
  timeoutMs: number;
  maxBytes: number;
  /** Further attempts after the first, on network errors, 5xx and 429 only (default 2). */
  retries?: number;
  /** First backoff; it doubles on each further retry (default 200). */
  backoffMs?: number;
  /** When set, http(s) and Airship refs (and their redirects) may only reach these hostnames. */
  allowHosts?: string[];
  /** A Keystone service token for deckhand+ and promenade+ refs; absent without Keystone. */
  serviceToken?: () => Promise<string>;
  /** Reads an absolute path (Node/Deno); absent on Workers, which makes file:// refs a 400. */
  readFile?: (path: string, limits: ReadFileLimits) => Promise<Uint8Array>;
  /** DESIGN_FILE_ROOT: file:// refs are refused unless set, and reach only files below it. */
  fileRoot?: string;
  sleep?: (ms: number) => Promise<void>;
}

/** What a scheme module gets for one resolution. */
export interface ResolveContext {
  /** The ref as given (trimmed); may hold credentials, never put it in a message. */
  ref: string;
  /** The ref with credentials masked. */
  shown: string;
  signal: AbortSignal;
  deps: DesignResolverDeps & Required<Pick<DesignResolverDeps, 'retries' | 'backoffMs' | 'sleep'>>;
}

export function refError(shown: string, reason: string): ApiError {
  return new ApiError('BadRequest', `Cannot resolve design_ref ${shown}: ${reason}`);
}

export function tooLarge(maxBytes: number): string {
  return `design exceeds the limit of ${maxBytes} bytes`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Design text must be UTF-8 (YAML 1.2 and JSON both are); a BOM is dropped. */
export function decodeDesign(ctx: ResolveContext, bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw refError(ctx.shown, 'the design is not valid UTF-8 text');
  }
}

export function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
