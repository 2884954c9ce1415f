import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';

/**
 * A Kubernetes API server double for nodes, written from the API reference
 * (core/v1 Node: read, patch; /version) and RFC 7386 (JSON merge patch:
 * objects merge, null deletes a member). Errors are metav1.Status objects as
 * the API server sends them.
 */
export interface K8sApiOptions {
  /** The bearer token it accepts. */
  token: string;
  /** Node name -> labels at start. */
  nodes?: Record<string, Record<string, string>>;
  tls?: { key: string; cert: string };
  /** Verbs the token may not use (403), e.g. ['patch']. */
  forbid?: Array<'get' | 'patch'>;
  /** Accept connections and never answer (an API server behind a dead proxy). */
  hang?: boolean;
  /** Before answering the next PATCH, change a label (someone else's write): the patch then conflicts. */
  racePatchOnce?: { node: string; key: string; value: string };
  /** Every PATCH finds the node changed (a controller rewriting it): 409 each time. */
  raceEveryPatch?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | null;
  authorization: string | null;
  body: string;
}

interface StoredNode {
  metadata: { name: string; uid: string; resourceVersion: string; labels: Record<string, string> };
}

export interface K8sApi {
  url: string;
  requests: RecordedRequest[];
  labelsOf(node: string): Record<string, string> | undefined;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

/** RFC 7386 MergePatch(Target, Patch). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Json = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Json) } : {};
  for (const [key, value] of Object.entries(patch as Json)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

const status = (code: number, reason: string, message: string, details?: Json) => ({
  kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code,
});

export async function startK8sApi(options: K8sApiOptions): Promise<K8sApi> {
  let version = 100;
  const nodes = new Map<string, StoredNode>();
  for (const [name, labels] of Object.entries(options.nodes ?? {})) {
    nodes.set(name, { metadata: { name, uid: crypto.randomUUID(), resourceVersion: String(version++), labels: { ...labels } } });
  }
  const requests: RecordedRequest[] = [];
  let race = options.racePatchOnce;

  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const nodeDoc = (n: StoredNode) => ({ kind: 'Node', apiVersion: 'v1', metadata: n.metadata, spec: {}, status: { nodeInfo: { kubeletVersion: 'v1.29.2' } } });

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push({ method: req.method ?? '', path, contentType: req.headers['content-type'] ?? null, authorization: req.headers.authorization ?? null, body });
    if (options.hang) return;
    if (req.headers.authorization !== `Bearer ${options.token}`) return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    if (path === '/version' && req.method === 'GET') {
      return send(res, 200, { major: '1', minor: '29', gitVersion: 'v1.29.2', platform: 'linux/amd64' });
    }
    const m = /^\/api\/v1\/nodes\/([^/]+)$/.exec(path);
    if (!m) return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const name = decodeURIComponent(m[1]!);
    const verb = req.method === 'GET' ? 'get' : req.method === 'PATCH' ? 'patch' : null;
    if (!verb) return send(res, 405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
    if (options.forbid?.includes(verb)) {
      return send(res, 403, status(403, 'Forbidden', `nodes "${name}" is forbidden: User "system:serviceaccount:ucp:drydock" cannot ${verb} resource "nodes" in API group "" at the cluster scope`, { name, kind: 'nodes' }));
    }
    const node = nodes.get(name);
    if (!node) return send(res, 404, status(404, 'NotFound', `nodes "${name}" not found`, { name, kind: 'nodes' }));
    if (verb === 'get') return send(res, 200, nodeDoc(node));
    if (req.headers['content-type'] !== 'application/merge-patch+json') {
      return send(res, 415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`));
    }
    if (race && race.node === name) {
      node.metadata.labels[race.key] = race.value;
      node.metadata.resourceVersion = String(version++);
      race = undefined;
    }
    if (options.raceEveryPatch) node.metadata.resourceVersion = String(version++);
    let patch: Json;
    try {
      patch = JSON.parse(body) as Json;
    } catch {
      return send(res, 400, status(400, 'BadRequest', 'error decoding patch'));
    }
    const rv = (patch.metadata as Json | undefined)?.resourceVersion;
    if (rv !== undefined && rv !== node.metadata.resourceVersion) {
      return send(res, 409, status(409, 'Conflict', `Operation cannot be fulfilled on nodes "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, kind: 'nodes' }));
    }
    const merged = mergePatch(nodeDoc(node), patch) as { metadata: StoredNode['metadata'] };
    const labels = merged.metadata.labels ?? {};
    if (Object.values(labels).some((v) => typeof v !== 'string')) return send(res, 422, status(422, 'Invalid', 'label values must be strings'));
    const changed = JSON.stringify(labels) !== JSON.stringify(node.metadata.labels);
    node.metadata.labels = labels;
    if (changed) node.metadata.resourceVersion = String(version++);
    return send(res, 200, nodeDoc(node));
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    labelsOf: (name) => (nodes.has(name) ? { ...nodes.get(name)!.metadata.labels } : undefined),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
