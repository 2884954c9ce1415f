/**
 * Fetches an asset's `location`, as Drydock's ReferenceResolver did, with
 * the design resolver's HTTP machinery (one deadline, bounded retries on
 * network errors, 5xx and 429, redirects checked hop by hop, the size limit
 * enforced while reading):
 *   http(s)://[user:password@]host/…   Basic auth from the user-info
 *   deckhand+http(s)://, promenade+http(s)://   the Keystone service token
 * The body is returned as bytes: an asset may be binary.
 *
 * Unlike Drydock: a non-2xx answer is an error (Drydock's plain http handler
 * used the error page as the asset), and file:// is refused (it would serve
 * the server's own files to nodes, and Workers have none).
 */
import type { SecretBox } from '../../core/secret-box.ts';
import type { Db } from '../../db/types.ts';
import { ApiError } from '../../core/errors.ts';
import { fetchDesign } from '../../design/resolve/http.ts';
import { redactRef } from '../../design/resolve/redact.ts';
import type { ResolveContext } from '../../design/resolve/types.ts';
import { basicAuth, parseHttpUrl } from '../../design/resolve/web.ts';

export interface LocationFetchOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxBytes: number;
  /** Further attempts after the first (default 2, as design refs). */
  retries?: number;
  /** When set, locations (and their redirects) may only reach these hostnames. */
  allowHosts?: string[];
  serviceToken?: () => Promise<string>;
}

/** A location that could not be fetched; the message is safe to show (credentials masked). */
export class LocationError extends Error {}

const AIRSHIP = /^(deckhand|promenade)\+(https?):/i;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The design resolver's messages read "Cannot resolve design_ref <ref>: <reason>"; keep the reason. */
function reasonOf(err: ApiError, shown: string): string {
  const prefix = `Cannot resolve design_ref ${shown}: `;
  const reason = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return reason.replace(/^design exceeds/, 'the asset exceeds').replace(/^the design is/, 'the asset is');
}

export async function fetchLocation(location: string, options: LocationFetchOptions): Promise<Uint8Array> {
  const ref = location.trim();
  const shown = redactRef(ref);
  // Called through a plain function: workerd's fetch throws "Illegal invocation" when called as a method of another object.
  const unbound = options.fetch;
  const fetchFn: typeof fetch = (input, init) => unbound(input, init);
  const ctx: ResolveContext = {
    ref,
    shown,
    signal: AbortSignal.timeout(options.timeoutMs),
    deps: {
      fetch: fetchFn,
      // fetchDesign never reads the database: only design:// refs do, and they are not asset locations.
      db: undefined as unknown as Db,
      box: undefined as unknown as SecretBox,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      retries: Math.max(0, options.retries ?? 2),
      backoffMs: 200,
      sleep: defaultSleep,
      ...(options.allowHosts ? { allowHosts: options.allowHosts } : {}),
    },
  };
  try {
    const airship = AIRSHIP.exec(ref);
    if (airship) {
      const { url } = parseHttpUrl(ctx, ref.slice(ref.indexOf('+') + 1));
      const token = await serviceToken(options, airship[1]!.toLowerCase(), shown);
      return (await fetchDesign(ctx, url, { 'x-auth-token': token })).bytes;
    }
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(ref)?.[1]?.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') {
      throw new LocationError(
        `cannot fetch ${shown}: ${scheme ? `unsupported scheme ${scheme}:` : 'not a URL'}; use http(s)://, deckhand+http(s):// or promenade+http(s)://`,
      );
    }
    const { url, user, password } = parseHttpUrl(ctx, ref);
    const headers: Record<string, string> = user === null ? {} : { authorization: basicAuth(user, password) };
    return (await fetchDesign(ctx, url, headers)).bytes;
  } catch (err) {
    if (err instanceof LocationError) throw err;
    if (err instanceof ApiError) throw new LocationError(`cannot fetch ${shown}: ${reasonOf(err, shown)}`);
    throw new LocationError(`cannot fetch ${shown}: unexpected error`);
  }
}

async function serviceToken(options: LocationFetchOptions, service: string, shown: string): Promise<string> {
  if (!options.serviceToken) {
    throw new LocationError(`cannot fetch ${shown}: ${service}+ locations need Keystone (AUTH_MODE=keystone) to obtain a service token`);
  }
  try {
    return await options.serviceToken();
  } catch (err) {
    // ApiError messages are written to be safe to show; anything else is not.
    throw new LocationError(`cannot fetch ${shown}: could not obtain a Keystone service token: ${err instanceof ApiError ? err.message : 'unexpected error'}`);
  }
}
