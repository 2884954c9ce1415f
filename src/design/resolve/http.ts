/**
 * GET over http(s) for every network scheme: one deadline, bounded retries
 * with exponential backoff, redirects followed by hand so each hop is checked
 * against the allow-list, and the size limit enforced while reading.
 *
 * Drydock retried every failure (4xx included) with sleeps of 5 and 25 s, and
 * its plain http handler returned the body of an error page as the design.
 * Here only network errors, 5xx and 429 are retried, and any non-2xx is a 400.
 */
import { ApiError } from '../../core/errors.ts';
import { readLimited, TooLarge } from '../../core/read-limited.ts';
import { refError, isTimeout, tooLarge, type ResolveContext } from './types.ts';

const MAX_REDIRECTS = 5;
const REDIRECT = new Set([301, 302, 303, 307, 308]);
/** Headers that carry credentials: never sent on to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'x-auth-token'];

export interface Fetched {
  bytes: Uint8Array;
  contentType: string | null;
}

/** A failed attempt; `retry` says whether another attempt may succeed. */
class AttemptFailed extends Error {
  constructor(readonly reason: string, readonly retry: boolean) {
    super(reason);
  }
}

export function checkHost(ctx: ResolveContext, url: URL): void {
  const allow = ctx.deps.allowHosts;
  if (!allow) return;
  const host = bare(url.hostname);
  if (!allow.some((h) => bare(h) === host)) {
    throw refError(ctx.shown, `host ${url.hostname} is not in the allowed design hosts`);
  }
}

const bare = (host: string) => host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = typeof cause?.message === 'string' ? cause.message : typeof cause?.code === 'string' ? cause.code : null;
  const message = err instanceof Error ? err.message : String(err);
  return `network error: ${detail ?? message}`;
}

function parseUrl(text: string, base: URL): URL | null {
  try {
    return new URL(text, base);
  } catch {
    return null;
  }
}

async function follow(ctx: ResolveContext, start: URL, headers: Headers): Promise<Response> {
  let url = start;
  for (let hop = 0; ; hop++) {
    checkHost(ctx, url);
    const res = await ctx.deps.fetch(url, { method: 'GET', headers, redirect: 'manual', signal: ctx.signal });
    const location = res.headers.get('location');
    if (!REDIRECT.has(res.status) || location === null) return res;
    await res.body?.cancel().catch(() => {});
    if (hop >= MAX_REDIRECTS) throw new AttemptFailed(`more than ${MAX_REDIRECTS} redirects`, false);
    const next = parseUrl(location, url);
    if (!next) throw new AttemptFailed('redirected to an invalid location', false);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new AttemptFailed(`redirected to an unsupported scheme ${next.protocol}`, false);
    }
    if (next.origin !== url.origin) for (const h of CREDENTIAL_HEADERS) headers.delete(h);
    next.username = '';
    next.password = '';
    url = next;
  }
}

async function attempt(ctx: ResolveContext, url: URL, headers: Record<string, string>): Promise<Fetched> {
  let res: Response;
  try {
    res = await follow(ctx, url, new Headers(headers));
  } catch (err) {
    if (err instanceof AttemptFailed || isTimeout(err)) throw err;
    if (err instanceof ApiError) throw err;
    throw new AttemptFailed(networkReason(err), true);
  }
  if (res.status < 200 || res.status > 299) {
    await res.body?.cancel().catch(() => {});
    throw new AttemptFailed(`the server answered HTTP ${res.status}`, res.status >= 500 || res.status === 429);
  }
  try {
    return { bytes: await readLimited(res, ctx.deps.maxBytes), contentType: res.headers.get('content-type') };
  } catch (err) {
    if (err instanceof TooLarge) throw new AttemptFailed(tooLarge(ctx.deps.maxBytes), false);
    if (isTimeout(err)) throw err;
    throw new AttemptFailed(networkReason(err), true);
  }
}

/** GETs `url` (credentials already moved into `headers`); every failure is a 400 naming the ref. */
export async function fetchDesign(ctx: ResolveContext, url: URL, headers: Record<string, string>): Promise<Fetched> {
  const { retries, backoffMs, sleep, timeoutMs } = ctx.deps;
  const timedOut = () => refError(ctx.shown, `timed out after ${timeoutMs} ms`);
  for (let tried = 1; ; tried++) {
    try {
      return await attempt(ctx, url, headers);
    } catch (err) {
      if (isTimeout(err) || ctx.signal.aborted) throw timedOut();
      if (!(err instanceof AttemptFailed)) throw err;
      if (!err.retry || tried > retries) {
        throw refError(ctx.shown, tried > 1 ? `${err.reason} (after ${tried} attempts)` : err.reason);
      }
    }
    await sleep(backoffMs * 2 ** (tried - 1));
    if (ctx.signal.aborted) throw timedOut();
  }
}
