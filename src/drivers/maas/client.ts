import { oauthHeader, type MaasApiKey } from './api-key.ts';
import { MaasError } from './maas-error.ts';
import { withoutSecrets } from '../redact.ts';

export type FormValue = string | number | boolean | readonly (string | number | boolean)[];
export type Form = Record<string, FormValue | null | undefined>;

export interface MaasClientOptions {
  /** MAAS_URL, e.g. http://maas.example.com:5240/MAAS (the API is below it, at api/2.0/). */
  url: string;
  key: MaasApiKey;
  fetch: typeof fetch;
  /** Each attempt, connecting included. */
  timeoutMs: number;
  /** Further attempts after the first on 429 and 5xx (see retryable). */
  retries: number;
  /** The first backoff; it doubles on each further attempt (a Retry-After of MAAS's wins, up to the timeout). */
  backoffMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface MaasRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below api/2.0/, e.g. `machines/` or `machines/abc123/`. */
  path: string;
  /** MAAS's operation, sent as `?op=` (GET and POST). */
  op?: string;
  /** GET: the query string; POST/PUT: the form body. Arrays repeat the field, as MAAS reads them. */
  params?: Form;
}

// A machine list of a large site is a few megabytes; far more is not MAAS.
const MAX_BODY_CHARS = 64 * 1_048_576;

function encodeForm(params: Form | undefined, into: URLSearchParams = new URLSearchParams()): URLSearchParams {
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === null || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) into.append(name, String(v));
  }
  return into;
}

/**
 * 429 and 503 say MAAS did not take the request (busy, or its database
 * locked), so any method is sent again; other 5xx answers may come after
 * MAAS acted, so only a GET (which changes nothing) is.
 */
function retryable(method: string, status: number): boolean {
  if (status === 429 || status === 503) return true;
  return status >= 500 && method === 'GET';
}

function retryAfterMs(res: Response): number | null {
  const value = res.headers.get('Retry-After');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/**
 * The MAAS REST API 2.0 over fetch: OAuth PLAINTEXT signing with a fresh
 * nonce per request, form bodies, `op=` operations, each attempt bounded by
 * timeoutMs, retries with backoff. The key is only ever in the
 * Authorization header: no message, log or error holds it.
 */
export class MaasClient {
  private readonly base: URL;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: MaasClientOptions) {
    const url = options.url.endsWith('/') ? options.url : `${options.url}/`;
    this.base = new URL('api/2.0/', url);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** The answer's JSON (null for an empty body); a MaasError for anything but 2xx. */
  async json<T = unknown>(request: MaasRequest): Promise<T> {
    const text = await this.text(request);
    if (text.trim() === '') return null as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new MaasError(request, null, 'MAAS answered something that is not JSON');
    }
  }

  async text(request: MaasRequest): Promise<string> {
    return this.read(request, await this.send(request));
  }

  /** The answer's bytes (op=details answers BSON). */
  async bytes(request: MaasRequest): Promise<ArrayBuffer> {
    const res = await this.send(request);
    const body = await res.arrayBuffer();
    if (body.byteLength > MAX_BODY_CHARS) throw new MaasError(request, res.status, `the answer is larger than ${MAX_BODY_CHARS} bytes`);
    return body;
  }

  /** A 2xx response, its body unread; a MaasError for anything else, after the retries. */
  private async send(request: MaasRequest): Promise<Response> {
    const url = new URL(request.path.replace(/^\//, ''), this.base);
    if (url.origin !== this.base.origin || !url.pathname.startsWith(this.base.pathname)) {
      throw new MaasError(request, null, 'the path leaves the MAAS API');
    }
    const body = request.method === 'GET' || request.method === 'DELETE' ? undefined : encodeForm(request.params);
    if (request.method === 'GET') encodeForm(request.params, url.searchParams);
    if (request.op) url.searchParams.set('op', request.op);
    let delay = this.options.backoffMs;
    for (let attempt = 0; ; attempt++) {
      const res = await this.attempt(request, url, body);
      const last = attempt >= this.options.retries;
      if (res.ok) return res;
      if (!last && retryable(request.method, res.status)) {
        const wait = Math.min(retryAfterMs(res) ?? delay, this.options.timeoutMs);
        await res.body?.cancel();
        await this.sleep(wait);
        delay *= 2;
        continue;
      }
      // MAAS's OAuth errors can quote the token or consumer key it refused.
      const key = this.options.key;
      const said = withoutSecrets((await this.read(request, res)).trim(), [key.tokenSecret, key.tokenKey, key.consumerKey]);
      throw new MaasError(request, res.status, said, attempt + 1);
    }
  }

  private async attempt(request: MaasRequest, url: URL, body: URLSearchParams | undefined): Promise<Response> {
    try {
      return await this.options.fetch(url, {
        method: request.method,
        headers: {
          Authorization: oauthHeader(this.options.key, this.now()),
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
      if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
        throw new MaasError(request, null, `no answer within ${this.options.timeoutMs} ms (MAAS_REQUEST_TIMEOUT_MS): MAAS is unreachable or too slow`);
      }
      const why = [e?.cause?.code, e?.cause?.message ?? e?.message].filter(Boolean).join(' ');
      throw new MaasError(request, null, `could not connect to MAAS (${why || String(err)})`);
    }
  }

  private async read(request: MaasRequest, res: Response): Promise<string> {
    const text = await res.text();
    if (text.length > MAX_BODY_CHARS) throw new MaasError(request, res.status, `the answer is larger than ${MAX_BODY_CHARS} characters`);
    return text;
  }
}
