/**
 * A small in-test Keystone on 127.0.0.1 speaking the two v3 calls Drydock
 * needs: POST /v3/auth/tokens (password method, project scope) and
 * GET /v3/auth/tokens (validate X-Subject-Token using X-Auth-Token).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_SERVICE_CREDENTIALS = {
  username: 'drydock',
  password: 'service-password-s3cret',
  userDomainName: 'Default',
  projectName: 'service',
  projectDomainName: 'Default',
} as const;

export interface FakeUserTokenOptions {
  token?: string;
  userId?: string;
  userName?: string;
  userDomainId?: string;
  /** null issues an unscoped token (no project in the body). */
  projectId?: string | null;
  projectName?: string;
  projectDomainId?: string;
  roles?: string[];
  isAdminProject?: boolean;
  /** Relative to the fake's clock; default 3600. Negative issues an already expired token. */
  expiresInSeconds?: number;
}

export interface FakeKeystoneOptions {
  now?: () => number;
  serviceTokenTtlSeconds?: number;
}

export interface FakeKeystone {
  /** http://127.0.0.1:<port>/v3 */
  url: string;
  baseUrl: string;
  calls: { issue: number; validate: number };
  issueUserToken(opts?: FakeUserTokenOptions): string;
  revokeUserToken(token: string): void;
  /** Every service token issued so far stops being accepted (401). */
  revokeServiceTokens(): void;
  /** Answer every request with this status (e.g. 500); null to recover. */
  setFailure(status: number | null): void;
  /** Hold every response this long (to provoke client timeouts). */
  setDelay(ms: number): void;
  /** A user who can sign in with the password method (project scope); tokens issued carry `token`'s options. */
  addUser(user: { username: string; password: string; project: string; token?: FakeUserTokenOptions }): void;
  /** Stop listening (connections refused) and start again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** Keystone's own format: microseconds and a Z. */
const keystoneTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');
const newToken = (): string => `gAAAAA${randomBytes(48).toString('base64url')}`;

function send(res: ServerResponse, status: number, body: Json | null, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body ? JSON.stringify(body) : undefined);
}

function sendError(res: ServerResponse, code: number, title: string, message: string): void {
  send(res, code, { error: { code, title, message } });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeKeystone(options: FakeKeystoneOptions = {}): Promise<FakeKeystone> {
  const now = options.now ?? Date.now;
  const serviceTtlMs = (options.serviceTokenTtlSeconds ?? 3600) * 1000;
  const serviceTokens = new Map<string, { body: Json; expiresAt: number }>();
  const userTokens = new Map<string, { body: Json; expiresAt: number }>();
  const calls = { issue: 0, validate: 0 };
  const users: Array<{ username: string; password: string; project: string; token?: FakeUserTokenOptions }> = [];
  let failure: number | null = null;
  let delayMs = 0;
  let port = 0;

  const tokenBody = (o: FakeUserTokenOptions, expiresAt: number): Json => {
    const domain = { id: o.userDomainId ?? 'default', name: 'Default' };
    const body: Json = {
      methods: ['password'],
      issued_at: keystoneTime(now()),
      expires_at: keystoneTime(expiresAt),
      user: { id: o.userId ?? `u-${randomBytes(4).toString('hex')}`, name: o.userName ?? 'alice', domain, password_expires_at: null },
      roles: (o.roles ?? ['member']).map((name, i) => ({ id: `r${i}`, name })),
      audit_ids: [randomBytes(8).toString('base64url')],
    };
    if (o.projectId !== null) {
      const pdomain = { id: o.projectDomainId ?? 'default', name: 'Default' };
      body.project = { id: o.projectId ?? 'p-1', name: o.projectName ?? 'demo', domain: pdomain };
      body.is_admin_project = o.isAdminProject ?? false;
    }
    return body;
  };

  function issueServiceToken(payload: Json, res: ServerResponse): void {
    const auth = (payload.auth ?? {}) as Json;
    const identity = (auth.identity ?? {}) as { methods?: unknown; password?: { user?: Json } };
    const user = identity.password?.user ?? {};
    const project = ((auth.scope ?? {}) as { project?: Json }).project ?? {};
    const c = FAKE_SERVICE_CREDENTIALS;
    const ok =
      Array.isArray(identity.methods) && identity.methods.includes('password') &&
      user.name === c.username && user.password === c.password &&
      (user.domain as Json | undefined)?.name === c.userDomainName &&
      project.name === c.projectName && (project.domain as Json | undefined)?.name === c.projectDomainName;
    const member = users.find((u) => u.username === user.name && u.password === user.password && u.project === project.name);
    if (!ok && member) {
      const token = newToken();
      const expiresAt = now() + 3600_000;
      const body = tokenBody({ userName: member.username, projectName: member.project, ...member.token }, expiresAt);
      userTokens.set(token, { body, expiresAt });
      return send(res, 201, { token: body }, { 'x-subject-token': token });
    }
    if (!ok) return sendError(res, 401, 'Unauthorized', 'The request you have made requires authentication.');
    const token = newToken();
    const expiresAt = now() + serviceTtlMs;
    const body = tokenBody({ userId: 'svc-user', userName: c.username, projectId: 'svc-project', projectName: c.projectName, roles: ['service', 'admin'] }, expiresAt);
    serviceTokens.set(token, { body, expiresAt });
    send(res, 201, { token: body }, { 'x-subject-token': token });
  }

  function validateToken(req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers['x-auth-token'];
    const subject = req.headers['x-subject-token'];
    const svc = typeof auth === 'string' ? serviceTokens.get(auth) : undefined;
    if (!svc || svc.expiresAt <= now()) {
      return sendError(res, 401, 'Unauthorized', 'The request you have made requires authentication.');
    }
    const found = typeof subject === 'string' ? (userTokens.get(subject) ?? serviceTokens.get(subject)) : undefined;
    if (!found || found.expiresAt <= now()) {
      // Real Keystone echoes the token id here; the client must never pass it on.
      return sendError(res, 404, 'Not Found', `Could not find token: ${String(subject)}.`);
    }
    send(res, 200, { token: found.body }, { 'x-subject-token': String(subject) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const payload = await readBody(req);
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    if (path === '/v3/auth/tokens' && req.method === 'POST') calls.issue++;
    if (path === '/v3/auth/tokens' && req.method === 'GET') calls.validate++;
    if (failure !== null) return sendError(res, failure, 'Internal Server Error', 'An unexpected error prevented the server from fulfilling your request.');
    if (path !== '/v3/auth/tokens') return sendError(res, 404, 'Not Found', 'The resource could not be found.');
    if (req.method === 'GET') return validateToken(req, res);
    if (req.method !== 'POST') return sendError(res, 405, 'Method Not Allowed', 'Method not allowed.');
    let parsed: Json;
    try {
      parsed = JSON.parse(payload) as Json;
    } catch {
      return sendError(res, 400, 'Bad Request', 'Malformed JSON');
    }
    issueServiceToken(parsed, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'Internal Server Error', 'fake keystone failed');
    });
  });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();

  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: `${baseUrl}/v3`,
    baseUrl,
    calls,
    issueUserToken(opts = {}) {
      const token = opts.token ?? newToken();
      const expiresAt = now() + (opts.expiresInSeconds ?? 3600) * 1000;
      userTokens.set(token, { body: tokenBody(opts, expiresAt), expiresAt });
      return token;
    },
    revokeUserToken: (token) => void userTokens.delete(token),
    addUser: (user) => void users.push(user),
    revokeServiceTokens: () => serviceTokens.clear(),
    setFailure: (status) => void (failure = status),
    setDelay: (ms) => void (delayMs = ms),
    stop,
    start: listen,
    close: stop,
  };
}
