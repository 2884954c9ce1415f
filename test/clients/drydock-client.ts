/**
 * Drydock's Python client as its source behaves
 * (python/drydock_provisioner/drydock_client/session.py DrydockSession and
 * client.py DrydockClient, airshipit/drydock): the same requests, in the same
 * form, and the same reading of status codes. Written from reading that
 * source, not copied; each method names the one it plays.
 */
import { pyOk, pyRequest, type PyHeaders, type PyValue } from './python-requests.ts';

export interface SessionOptions {
  host: string;
  port?: number;
  scheme?: string;
  /** auth_gen: called at start and again after a 401, as session.py set_auth. */
  authGen?: () => Array<[string, string]>;
  marker?: string | null;
  endUser?: string | null;
}

/** session.py DrydockSession: base URL `<scheme>://<host>[:<port>]/api/`, headers kept for every call. */
export class DrydockSession {
  readonly baseUrl: string;
  readonly headers: PyHeaders = {};
  readonly sent: Array<{ method: string; url: string; status: number }> = [];

  constructor(private readonly opts: SessionOptions) {
    this.setAuth();
    // session.py sets X-Context-Marker even to None (requests then leaves it out).
    this.headers['X-Context-Marker'] = opts.marker ?? null;
    if (opts.endUser) this.headers['X-End-User'] = opts.endUser;
    const scheme = opts.scheme ?? 'http';
    this.baseUrl = opts.port ? `${scheme}://${opts.host}:${opts.port}/api/` : `${scheme}://${opts.host}/api/`;
  }

  setAuth(): void {
    for (const [k, v] of this.opts.authGen?.() ?? []) this.headers[k] = v;
  }

  /** get/post/delete: one retry after a 401, with fresh auth headers. */
  private async call(method: string, endpoint: string, init: { query?: Record<string, string | number | boolean>; json?: PyValue; body?: string }): Promise<Response> {
    let refreshed = false;
    for (;;) {
      const url = this.baseUrl + endpoint;
      const res = await pyRequest(method, url, { headers: { ...this.headers }, params: init.query, json: init.json, data: init.body });
      this.sent.push({ method, url, status: res.status });
      if (res.status === 401 && !refreshed) {
        this.setAuth();
        refreshed = true;
        continue;
      }
      return res;
    }
  }

  get(endpoint: string, query?: Record<string, string | number | boolean>): Promise<Response> {
    return this.call('GET', endpoint, { query });
  }

  /** post(endpoint, query, body, data): `body` raw if given, else `data` as JSON. */
  post(endpoint: string, opts: { query?: Record<string, string | number | boolean>; body?: string; data?: PyValue } = {}): Promise<Response> {
    return this.call('POST', endpoint, opts.body !== undefined ? { query: opts.query, body: opts.body } : { query: opts.query, json: opts.data });
  }

  delete(endpoint: string, query?: Record<string, string | number | boolean>): Promise<Response> {
    return this.call('DELETE', endpoint, { query });
  }
}

/** drydock_provisioner.error ClientError and its 401/403 kinds, as _check_response raises them. */
export class ClientError extends Error {
  constructor(message: string, readonly statusCode: number, readonly kind: 'ClientError' | 'ClientUnauthorizedError' | 'ClientForbiddenError') {
    super(message);
  }
}

/** Any JSON a Drydock answer holds; the callers read the fields their source reads. */
export type Json = any;

/** client.py DrydockClient. */
export class DrydockClient {
  constructor(readonly session: DrydockSession) {}

  private async checked(res: Response): Promise<Response> {
    if (res.status === 401) throw new ClientError(`Unauthorized access to ${res.url}, include valid token.`, 401, 'ClientUnauthorizedError');
    if (res.status === 403) throw new ClientError(`Forbidden access to ${res.url}`, 403, 'ClientForbiddenError');
    if (!pyOk(res)) throw new ClientError(`Error - received ${res.status}: ${await res.text()}`, res.status, 'ClientError');
    return res;
  }

  private async json(res: Promise<Response>): Promise<Json> {
    return (await this.checked(await res)).json();
  }

  get_task_build_data(taskId: string): Promise<Json> {
    return this.json(this.session.get(`v1.0/tasks/${taskId}/builddata`));
  }

  /** The query is written into the endpoint with Python's str(bool): `latest=True`. */
  get_node_build_data(nodename: string, latest = true): Promise<Json> {
    return this.json(this.session.get(`v1.0/nodes/${nodename}/builddata?latest=${latest ? 'True' : 'False'}`));
  }

  get_nodes(): Promise<Json> {
    return this.json(this.session.get('v1.0/nodes'));
  }

  get_nodes_for_filter(designRef: string, nodeFilter: PyValue = null): Promise<Json> {
    return this.json(this.session.post('v1.0/nodefilter', { data: { node_filter: nodeFilter, design_ref: designRef } }));
  }

  get_tasks(): Promise<Json> {
    return this.json(this.session.get('v1.0/tasks'));
  }

  get_task(taskId: string, opts: { builddata?: boolean; subtaskerrors?: boolean; layers?: number } = {}): Promise<Json> {
    const q: string[] = [];
    if (opts.builddata) q.push('builddata=true');
    if (opts.subtaskerrors) q.push('subtaskerrors=true');
    if (opts.layers) q.push(`layers=${opts.layers}`);
    return this.json(this.session.get(`v1.0/tasks/${taskId}${q.length ? `?${q.join('&')}` : ''}`));
  }

  /** `days` goes into the URL through str(): None when not given. */
  async delete_tasks(days?: string | number): Promise<string> {
    await this.checked(await this.session.delete(`v1.0/tasks?days=${days ?? 'None'}`));
    return 'Task table purged successfully.';
  }

  create_task(designRef: string, taskAction: string, nodeFilter: PyValue = null): Promise<Json> {
    return this.json(this.session.post('v1.0/tasks', { data: { action: taskAction, design_ref: designRef, node_filter: nodeFilter } }));
  }

  validate_design(href: string): Promise<Json> {
    return this.json(this.session.post('v1.0/validatedesign', { data: { href } }));
  }
}
