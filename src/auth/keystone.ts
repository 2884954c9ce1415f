/**
 * Keystone v3 token validation (what keystonemiddleware's auth_token does for
 * Drydock): a project-scoped service token validates each user token with
 * GET /v3/auth/tokens. Results are cached by SHA-256 of the token; Keystone
 * being unreachable is a 503, never a pass, and never cached.
 */
import * as v from 'valibot';
import { ApiError } from '../core/errors.ts';
import { sha256Hex } from '../core/digest.ts';
import type { Authenticator, Principal } from './principal.ts';

export type KeystoneLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface KeystoneAuthOptions {
  /** e.g. http://127.0.0.1:5000/v3; a missing /v3 is added. */
  authUrl: string;
  username: string;
  password: string;
  userDomainName?: string;
  projectName: string;
  projectDomainName?: string;
  /** Upper bound on caching a valid token (default 300; 0 disables). */
  cacheTtlSeconds?: number;
  /** How long an invalid token is remembered (default 5). */
  negativeCacheSeconds?: number;
  /** Per request to Keystone (default 5000). */
  timeoutMs?: number;
  /** Bound on cached validations (default 10,000; oldest evicted first). */
  maxCacheEntries?: number;
  fetch?: typeof fetch;
  now?: () => number;
  log?: (level: KeystoneLogLevel, msg: string, fields: Record<string, unknown>) => void;
  /** Share one service session with other users of Keystone (design refs); built from these options otherwise. */
  client?: KeystoneClient;
}

/** Refresh the service token this long before it expires (or at half-life). */
const SERVICE_TOKEN_MARGIN_MS = 60_000;
/** Header-safe tokens only; anything else cannot be a Keystone token. */
const TOKEN_SYNTAX = /^[\x21-\x7e]{1,8192}$/;

const Ref = v.looseObject({ id: v.string(), name: v.optional(v.string()) });
const TokenBody = v.looseObject({
  token: v.looseObject({
    expires_at: v.string(),
    user: v.looseObject({ id: v.string(), name: v.optional(v.string()), domain: v.nullish(Ref) }),
    project: v.nullish(v.looseObject({ id: v.string(), domain: v.nullish(Ref) })),
    roles: v.nullish(v.array(v.looseObject({ name: v.string() }))),
    is_admin_project: v.nullish(v.boolean()),
  }),
});
type TokenBody = v.InferOutput<typeof TokenBody>;
export type KeystoneTokenBody = TokenBody['token'];

interface CacheEntry {
  principal: Principal | null;
  until: number;
}

export function normaliseAuthUrl(authUrl: string): { base: string; v3: string } {
  const base = authUrl.trim().replace(/\/+$/, '').replace(/\/v3$/, '');
  return { base, v3: `${base}/v3` };
}

/** Keystone writes microseconds (2015-08-27T09:49:58.000000Z); keep milliseconds. */
export function parseKeystoneTime(value: string): number | null {
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? ms : null;
}

function unavailable(reason: string): ApiError {
  return new ApiError('ServiceUnavailable', `Identity service unavailable: ${reason}`);
}

function toPrincipal(t: TokenBody['token']): Principal {
  return {
    user: t.user.name ?? null,
    userId: t.user.id,
    userDomainId: t.user.domain?.id ?? null,
    projectId: t.project?.id ?? null,
    projectDomainId: t.project?.domain?.id ?? null,
    roles: (t.roles ?? []).map((r) => r.name),
    isAdminProject: t.is_admin_project ?? false,
    isAdmin: false,
    method: 'keystone',
  };
}

/** What a service token needs: Keystone's address and the service's own credentials. */
export type KeystoneClientOptions = Pick<
  KeystoneAuthOptions,
  'authUrl' | 'username' | 'password' | 'userDomainName' | 'projectName' | 'projectDomainName' | 'timeoutMs' | 'fetch' | 'now' | 'log'
>;

/**
 * The service's own Keystone session: a project-scoped token, obtained once,
 * shared by concurrent callers and renewed before it expires. The
 * authenticator validates user tokens with it; design refs such as
 * deckhand+http:// send it as X-Auth-Token (Drydock's KeystoneUtils session).
 */
export interface KeystoneClient {
  serviceToken(): Promise<string>;
  /** Drops the cached token if it is still this one (Keystone answered 401 to it). */
  forgetServiceToken(token: string): void;
  /** One request to /v3/auth/tokens with the body read, under the timeout; 503 when unreachable. */
  call(what: string, init: RequestInit): Promise<{ res: Response; text: string }>;
  /** The token body of a Keystone answer; 503 when it is not one. */
  parseBody(what: string, text: string): KeystoneTokenBody;
}

export function createKeystoneClient(options: KeystoneClientOptions): KeystoneClient {
  const { v3 } = normaliseAuthUrl(options.authUrl);
  const tokensUrl = `${v3}/auth/tokens`;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 5000;
  const log = options.log ?? (() => {});

  let service: { token: string; refreshAt: number } | null = null;
  let serviceInFlight: Promise<string> | null = null;

  /** One request to Keystone, body included, under the timeout. */
  async function call(what: string, init: RequestInit): Promise<{ res: Response; text: string }> {
    try {
      const res = await doFetch(tokensUrl, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      return { res, text: await res.text() };
    } catch (err) {
      const name = (err as { name?: unknown } | null)?.name;
      const reason = name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : 'unreachable';
      log('warn', 'keystone request failed', { what, reason });
      throw unavailable(reason);
    }
  }

  function parseBody(what: string, text: string): TokenBody['token'] {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {}
    const parsed = v.safeParse(TokenBody, json);
    if (parsed.success) return parsed.output.token;
    log('warn', 'keystone answered an unexpected body', { what });
    throw unavailable('unexpected response');
  }

  async function obtainServiceToken(): Promise<string> {
    const identity = {
      methods: ['password'],
      password: {
        user: {
          name: options.username,
          domain: { name: options.userDomainName ?? 'Default' },
          password: options.password,
        },
      },
    };
    const scope = { project: { name: options.projectName, domain: { name: options.projectDomainName ?? 'Default' } } };
    const { res, text } = await call('issue', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ auth: { identity, scope } }),
    });
    if (res.status === 401 || res.status === 403) {
      log('error', 'keystone rejected the service credentials', { status: res.status, username: options.username });
      throw unavailable('service credentials rejected');
    }
    if (res.status !== 201 && res.status !== 200) {
      log('warn', 'keystone could not issue a service token', { status: res.status });
      throw unavailable(`HTTP ${res.status}`);
    }
    const token = res.headers.get('x-subject-token');
    const expiresAt = parseKeystoneTime(parseBody('issue', text).expires_at);
    if (!token || expiresAt === null) throw unavailable('unexpected response');
    const margin = Math.min(SERVICE_TOKEN_MARGIN_MS, Math.max(0, (expiresAt - now()) / 2));
    service = { token, refreshAt: expiresAt - margin };
    log('info', 'obtained keystone service token', { expiresAt: new Date(expiresAt).toISOString() });
    return token;
  }

  function serviceToken(): Promise<string> {
    if (service && now() < service.refreshAt) return Promise.resolve(service.token);
    serviceInFlight ??= obtainServiceToken().finally(() => {
      serviceInFlight = null;
    });
    return serviceInFlight;
  }

  return {
    serviceToken,
    forgetServiceToken(token) {
      if (service?.token === token) service = null;
    },
    call,
    parseBody,
  };
}

export function createKeystoneAuthenticator(options: KeystoneAuthOptions): Authenticator {
  const { base } = normaliseAuthUrl(options.authUrl);
  const client = options.client ?? createKeystoneClient(options);
  const { call, parseBody } = client;
  const now = options.now ?? Date.now;
  const ttlMs = Math.max(0, options.cacheTtlSeconds ?? 300) * 1000;
  const negativeMs = Math.max(0, options.negativeCacheSeconds ?? 5) * 1000;
  const maxEntries = Math.max(1, options.maxCacheEntries ?? 10_000);
  const log = options.log ?? (() => {});

  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<Principal | null>>();

  /** Principal and expiry for a valid token, null for an invalid one; throws when unsure. */
  async function validate(token: string, retried = false): Promise<{ principal: Principal; expiresAt: number } | null> {
    const svc = await client.serviceToken();
    const { res, text } = await call('validate', {
      method: 'GET',
      headers: { accept: 'application/json', 'x-auth-token': svc, 'x-subject-token': token },
    });
    if (res.status === 404) return null;
    if (res.status === 401) {
      if (/subject token|could not find token/i.test(text)) return null;
      client.forgetServiceToken(svc);
      if (!retried) {
        log('info', 'keystone rejected the service token; re-authenticating', {});
        return validate(token, true);
      }
      throw unavailable('service token rejected');
    }
    if (res.status !== 200) {
      log('warn', 'keystone could not validate a token', { status: res.status });
      throw unavailable(`HTTP ${res.status}`);
    }
    const body = parseBody('validate', text);
    const expiresAt = parseKeystoneTime(body.expires_at);
    if (expiresAt === null) throw unavailable('unexpected response');
    return expiresAt > now() ? { principal: toPrincipal(body), expiresAt } : null;
  }

  function remember(key: string, entry: CacheEntry): void {
    cache.delete(key);
    cache.set(key, entry);
    for (const oldest of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(oldest);
    }
  }

  async function validateAndCache(key: string, token: string): Promise<Principal | null> {
    const result = await validate(token);
    const t = now();
    const until = result ? Math.min(result.expiresAt, t + ttlMs) : t + negativeMs;
    if (until > t) remember(key, { principal: result?.principal ?? null, until });
    if (!result) log('debug', 'keystone token invalid', { tokenSha256: key.slice(0, 12) });
    return result?.principal ?? null;
  }

  return {
    mode: 'keystone',
    challenge: `Keystone uri="${base}"`,
    async authenticate(token) {
      if (token === null || !TOKEN_SYNTAX.test(token)) return null;
      const key = await sha256Hex(token);
      const hit = cache.get(key);
      if (hit && now() < hit.until) return hit.principal && { ...hit.principal, roles: [...hit.principal.roles] };
      if (hit) cache.delete(key);
      let pending = inFlight.get(key);
      if (!pending) {
        pending = validateAndCache(key, token).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      const principal = await pending;
      return principal && { ...principal, roles: [...principal.roles] };
    },
  };
}
