/**
 * The public API over HTTP, as the CLI uses it: one base URL, the token in
 * X-Auth-Token, JSON answers, and every failure turned into a CliError.
 */
import { apiError, connectionError, networkReason } from './errors.ts';

export interface ApiClient {
  /** e.g. http://127.0.0.1:9000/api/v1.0 */
  readonly base: string;
  /** The JSON of a 2xx answer; a CliError otherwise. */
  json<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  /** The raw answer of a 2xx request (streams); a CliError otherwise. */
  open(path: string, init?: RequestInit): Promise<Response>;
}

/** DRYDOCK_URL may name the server or its API; the API path is added when missing. */
export function apiBase(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    throw connectionError(`Not a URL: ${trimmed || '(empty)'} (set --url or DRYDOCK_URL, e.g. http://127.0.0.1:9000)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw connectionError(`The URL must be http:// or https://, not ${parsed.protocol}`);
  }
  return trimmed.endsWith('/api/v1.0') ? trimmed : `${trimmed}/api/v1.0`;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function createApiClient(url: string, token: string | null, doFetch: typeof fetch = fetch): ApiClient {
  const base = apiBase(url);

  async function open(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (token) headers.set('X-Auth-Token', token);
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { ...init, headers });
    } catch (err) {
      if ((err as { name?: unknown } | null)?.name === 'AbortError') throw err;
      throw connectionError(`Cannot reach ${base}: ${networkReason(err)}`);
    }
    if (!res.ok) throw apiError(res.status, await readBody(res).catch(() => null));
    return res;
  }

  return {
    base,
    open,
    async json<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
      const init: RequestInit = { method, headers: { accept: 'application/json', ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        init.headers = { 'content-type': 'application/json', ...init.headers };
      }
      const res = await open(path, init);
      try {
        return (await readBody(res)) as T;
      } catch (err) {
        throw connectionError(`The answer from ${base} broke off: ${networkReason(err)}`);
      }
    },
  };
}
