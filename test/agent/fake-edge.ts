import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the edge's agent endpoints, written from docs/site-agent.md
 * (not from the agent): Bearer tokens, heartbeat, inventory, long-poll lease, renew,
 * idempotent results with 409 for a lease no longer held and 400 for a bad
 * progress, designs by content hash for the agent's site only. It records
 * every request, so tests check what the agent really sent.
 */
export interface EdgeCall {
  call_id: string;
  site: string;
  task_id: string;
  node: string | null;
  action: string;
  driver: string;
  content_hash: string;
  memo: Record<string, unknown> | null;
  attempt: number;
  state: 'queued' | 'leased' | 'done';
  lease_id: string | null;
  lease_expires: number | null;
  /** The accepted result body (progress, build_data, build_data_error) and the lease that posted it. */
  result: { lease_id: string; progress: unknown; build_data?: unknown; build_data_error?: unknown } | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  status: number;
  at: number;
}

export interface FakeEdgeOptions {
  token: string;
  site: string;
  leaseSeconds?: number;
  /** How often a long poll looks again (the doc's ~500 ms; tests shorten it). */
  pollMs?: number;
  port?: number;
}

const STATES = ['done', 'failed', 'pending'];

/** Exactly the three progress shapes of the doc. */
function progressValid(p: unknown): boolean {
  if (!p || typeof p !== 'object') return false;
  const o = p as Record<string, unknown>;
  if (!STATES.includes(o.state as string)) return false;
  if (o.state === 'failed') return typeof o.reason === 'string';
  if (o.detail !== undefined && typeof o.detail !== 'string') return false;
  if (o.state === 'pending') {
    if (o.retry_after_ms !== undefined && typeof o.retry_after_ms !== 'number') return false;
    if (o.memo !== undefined && (typeof o.memo !== 'object' || o.memo === null)) return false;
  }
  return true;
}

const status = (code: number, message: string) => ({ apiVersion: 'v1.0', kind: 'Status', status: 'Failure', code, message, reason: message, metadata: {}, details: {} });

export class FakeEdge {
  readonly requests: RecordedRequest[] = [];
  readonly calls = new Map<string, EdgeCall>();
  readonly designs = new Map<string, { text: string; contentType: string }>();
  /** The inventories the agent reported, oldest first (bodies as accepted). */
  readonly inventories: unknown[] = [];
  revoked = false;
  /** Answers the next N requests whose path matches with this status (an edge in trouble). */
  readonly faults: Array<{ path: RegExp; status: number; left: number; retryAfterSeconds?: number }> = [];
  port = 0;
  #server: Server | null = null;
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly agentId = randomUUID();

  constructor(readonly options: FakeEdgeOptions) {
    this.leaseMs = (options.leaseSeconds ?? 60) * 1000;
    this.pollMs = options.pollMs ?? 500;
    this.port = options.port ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on 127.0.0.1 (port 0 the first time, then the same port again). */
  async start(): Promise<this> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  /** Stops listening and cuts open connections (long polls too): the edge is down. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  addDesign(text: string, contentType = 'application/yaml'): string {
    const hash = createHash('sha256').update(text).digest('hex');
    this.designs.set(hash, { text, contentType });
    return hash;
  }

  enqueue(call: { node: string | null; action: string; driver: string; contentHash: string; memo?: Record<string, unknown>; site?: string; taskId?: string }): EdgeCall {
    const row: EdgeCall = {
      call_id: randomUUID(),
      site: call.site ?? this.options.site,
      task_id: call.taskId ?? randomUUID(),
      node: call.node,
      action: call.action,
      driver: call.driver,
      content_hash: call.contentHash,
      memo: call.memo ?? null,
      attempt: 0,
      state: 'queued',
      lease_id: null,
      lease_expires: null,
      result: null,
    };
    this.calls.set(row.call_id, row);
    return row;
  }

  /** Another agent took the call over (its lease replaced this one's). */
  replaceLease(callId: string): void {
    const call = this.calls.get(callId)!;
    call.lease_id = randomUUID();
    call.lease_expires = Date.now() + this.leaseMs;
  }

  recorded(path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => path.test(r.path));
  }

  /** Up to `max` calls of the site that are queued, or leased with the lease run out, oldest first. */
  #leasable(now: number, max: number): EdgeCall[] {
    const found: EdgeCall[] = [];
    for (const call of this.calls.values()) {
      if (found.length >= max) break;
      if (call.site !== this.options.site) continue;
      if (call.state === 'queued' || (call.state === 'leased' && (call.lease_expires ?? 0) <= now)) found.push(call);
    }
    return found;
  }

  #lease(call: EdgeCall) {
    call.state = 'leased';
    call.lease_id = randomUUID();
    call.lease_expires = Date.now() + this.leaseMs;
    call.attempt += 1;
    return {
      call_id: call.call_id,
      lease_id: call.lease_id,
      lease_expires: new Date(call.lease_expires).toISOString(),
      task_id: call.task_id,
      node: call.node,
      action: call.action,
      driver: call.driver,
      design: { content_hash: call.content_hash },
      memo: call.memo,
      attempt: call.attempt,
    };
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const path = (req.url ?? '').replace(/^\/api\/v1\.0\/agents/, '');
    const record: RecordedRequest = { method: req.method ?? '', path, authorization: req.headers.authorization, body, status: 0, at: Date.now() };
    this.requests.push(record);
    const send = (code: number, payload: unknown, contentType = 'application/json', extra: Record<string, string> = {}) => {
      record.status = code;
      if (res.destroyed) return;
      res.writeHead(code, { 'content-type': contentType, ...extra });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (!(req.url ?? '').startsWith('/api/v1.0/agents/')) return send(404, status(404, 'not found'));
    if (this.revoked || req.headers.authorization !== `Bearer ${this.options.token}`) return send(401, { message: 'agent token refused' });
    const fault = this.faults.find((f) => f.left > 0 && f.path.test(path));
    if (fault) {
      fault.left -= 1;
      const retryAfter: Record<string, string> = fault.retryAfterSeconds ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      return send(fault.status, status(fault.status, 'injected fault'), 'application/json', retryAfter);
    }
    const b = (body ?? {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/heartbeat') {
      return send(200, { agent_id: this.agentId, site: this.options.site, server_time: new Date().toISOString() });
    }
    if (req.method === 'POST' && path === '/inventory') {
      const images = b.boot_images;
      const valid =
        typeof b.taken === 'string' && !Number.isNaN(Date.parse(b.taken)) && typeof b.node_driver === 'string' && Array.isArray(b.machines) &&
        typeof images === 'object' && images !== null && !Array.isArray(images);
      if (!valid) return send(400, status(400, 'an inventory is {taken, node_driver, machines, boot_images}'));
      this.inventories.push(body);
      return send(200, { site: this.options.site, taken: b.taken, stored: true });
    }
    if (req.method === 'POST' && path === '/lease') {
      const wait = Math.min(25, Math.max(0, Number(b.wait_seconds ?? 20))) * 1000;
      const deadline = Date.now() + wait;
      const max = Math.min(10, Math.max(1, Math.trunc(Number(b.max ?? 1)) || 1));
      for (;;) {
        const calls = this.#leasable(Date.now(), max);
        if (calls.length > 0) return send(200, { calls: calls.map((call) => this.#lease(call)) });
        if (Date.now() >= deadline || res.destroyed || !this.#server) return send(200, { calls: [] });
        await new Promise((r) => setTimeout(r, this.pollMs));
      }
    }
    if (req.method === 'POST' && (m = /^\/calls\/([^/]+)\/renew$/.exec(path))) {
      const call = this.calls.get(decodeURIComponent(m[1]!));
      const live = call && call.state === 'leased' && call.lease_id === b.lease_id && (call.lease_expires ?? 0) > Date.now();
      if (!live) return send(409, status(409, `lease ${String(b.lease_id)} is no longer held`));
      call.lease_expires = Date.now() + this.leaseMs;
      return send(200, { lease_expires: new Date(call.lease_expires).toISOString() });
    }
    if (req.method === 'POST' && (m = /^\/calls\/([^/]+)\/result$/.exec(path))) {
      const call = this.calls.get(decodeURIComponent(m[1]!));
      if (!call) return send(404, status(404, 'no such call'));
      if (!progressValid(b.progress)) return send(400, status(400, 'progress must be done, failed or pending'));
      if (call.state === 'done' && call.result?.lease_id === b.lease_id) return send(200, { accepted: true });
      const live = call.state === 'leased' && call.lease_id === b.lease_id && (call.lease_expires ?? 0) > Date.now();
      if (!live) return send(409, status(409, `lease ${String(b.lease_id)} is no longer held`));
      call.state = 'done';
      call.result = { lease_id: b.lease_id as string, progress: b.progress, build_data: b.build_data };
      if (b.build_data_error !== undefined) call.result.build_data_error = b.build_data_error;
      return send(200, { accepted: true });
    }
    if (req.method === 'GET' && (m = /^\/designs\/([^/]+)$/.exec(path))) {
      const hash = decodeURIComponent(m[1]!);
      const referred = [...this.calls.values()].some((c) => c.site === this.options.site && c.content_hash === hash);
      const design = this.designs.get(hash);
      if (!referred || !design) return send(404, status(404, 'no such design'));
      return send(200, design.text, design.contentType);
    }
    return send(404, status(404, 'not found'));
  }
}
