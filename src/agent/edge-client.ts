/**
 * The agent's HTTP client for the edge's agent endpoints
 * (docs/site-agent.md). The token goes only into the Authorization header:
 * no error, log field or message built here contains it.
 */

/** The edge could not be reached, or answered 5xx or 429: try again later. */
export class EdgeUnreachable extends Error {
  constructor(message: string, readonly retryAfterMs?: number) {
    super(message);
    this.name = 'EdgeUnreachable';
  }
}

/** 401: the token is revoked or wrong; the agent stops (exit code 3). */
export class TokenRefused extends Error {
  constructor(readonly edgeUrl: string) {
    super(`agent token refused by ${edgeUrl}: revoked or wrong AGENT_TOKEN`);
    this.name = 'TokenRefused';
  }
}

/** Any other answer that is not 2xx (400, 404, 409): final for this request. */
export class EdgeRefused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'EdgeRefused';
  }
}

export interface EdgeClientOptions {
  edgeUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Per-request timeout beyond a long poll's own wait (default 30 s). */
  timeoutMs?: number;
}

export interface EdgeAnswer {
  status: number;
  body: unknown;
  contentType: string | null;
  text: string;
}

const retryAfterOf = (res: Response): number | undefined => {
  const value = Number(res.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
};

const messageOf = (body: unknown, status: number) =>
  body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
    ? (body as { message: string }).message
    : `HTTP ${status}`;

export interface EdgeClient {
  readonly edgeUrl: string;
  /** One request; resolves on 2xx, else throws one of the errors above. */
  request(method: 'GET' | 'POST', path: string, body?: unknown, options?: { waitMs?: number; signal?: AbortSignal }): Promise<EdgeAnswer>;
}

export function createEdgeClient(options: EdgeClientOptions): EdgeClient {
  const base = options.edgeUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    edgeUrl: options.edgeUrl,
    async request(method, path, body, extra = {}) {
      const signals = [AbortSignal.timeout(timeoutMs + (extra.waitMs ?? 0))];
      if (extra.signal) signals.push(extra.signal);
      const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      let res: Response;
      let text: string;
      try {
        res = await doFetch(`${base}/api/v1.0/agents${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.any(signals),
        });
        text = await res.text();
      } catch (err) {
        // fetch's errors name the address and the cause, never the headers.
        const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
        throw new EdgeUnreachable(`${method} ${path}: ${err instanceof Error ? err.message : String(err)}${cause}`);
      }
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // A design is YAML; error bodies that are not JSON keep their status only.
      }
      if (res.ok) return { status: res.status, body: parsed, contentType: res.headers.get('content-type'), text };
      if (res.status === 401) throw new TokenRefused(options.edgeUrl);
      if (res.status === 429 || res.status >= 500) {
        throw new EdgeUnreachable(`${method} ${path}: ${res.status} ${messageOf(parsed, res.status)}`, retryAfterOf(res));
      }
      throw new EdgeRefused(res.status, `${method} ${path}: ${res.status} ${messageOf(parsed, res.status)}`);
    },
  };
}
