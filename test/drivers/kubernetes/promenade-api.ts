import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A Promenade double for PUT /api/v1.0/node-labels/{node_name} and
 * GET /api/v1.0/health, from Promenade's source (control/node_labels.py,
 * kubeclient.py, utils/success_message.py, exceptions.py): it keeps each
 * node's labels as the Kubernetes node would and applies
 * kubeclient._get_update_labels to them. `accepts` decides which Keystone
 * tokens pass its auth middleware (401 otherwise).
 */
export interface PromenadeApi {
  url: string;
  requests: Array<{ method: string; path: string; token: string | null; marker: string | null; contentType: string | null; body: string }>;
  labelsOf(node: string): Record<string, string> | undefined;
  close(): Promise<void>;
}

/** Promenade's kubeclient._get_update_labels. */
function updateLabels(existing: Record<string, string>, input: Record<string, string | null>): Record<string, string | null> {
  if (Object.keys(existing).length === 0) return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null));
  const update: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(input)) if (!(k in existing) || v !== existing[k]) update[k] = v;
  for (const k of Object.keys(existing)) if (!(k in input) && !k.includes('kubernetes.io')) update[k] = null;
  return update;
}

const failure = (code: string, reason: string, message: string) => ({
  kind: 'Status', apiVersion: 'v1.0', metadata: {}, status: 'Failure', message, reason,
  details: { errorType: 'PromenadeException', errorCount: 1, messageList: [{ message, error: true }] }, code, retry: false,
});

export async function startPromenadeApi(options: { accepts: (token: string) => boolean; nodes: Record<string, Record<string, string>> }): Promise<PromenadeApi> {
  const nodes = new Map(Object.entries(options.nodes).map(([n, l]) => [n, { ...l }]));
  const requests: PromenadeApi['requests'] = [];
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const token = (req.headers['x-auth-token'] as string | undefined) ?? null;
    requests.push({ method: req.method ?? '', path, token, marker: (req.headers['x-context-marker'] as string | undefined) ?? null, contentType: req.headers['content-type'] ?? null, body });
    if (path === '/api/v1.0/health' && req.method === 'GET') return send(res, 204);
    if (!token || !options.accepts(token)) return send(res, 401, failure('401 Unauthorized', 'Unauthenticated', 'Credentials are required'));
    const m = /^\/api\/v1\.0\/node-labels\/([^/]+)$/.exec(path);
    if (!m || req.method !== 'PUT') return send(res, 404, failure('404 Not Found', 'Not Found', 'Not Found'));
    let input: Record<string, string | null>;
    try {
      input = JSON.parse(body) as Record<string, string | null>;
    } catch {
      return send(res, 400, failure('400 Bad Request', 'Invalid Input Error', 'Missing input: labels dict'));
    }
    const name = decodeURIComponent(m[1]!);
    const existing = nodes.get(name);
    if (!existing) return send(res, 404, failure('404 Not Found', 'Node not found', 'Node not found'));
    for (const [k, v] of Object.entries(updateLabels(existing, input))) {
      if (v === null) delete existing[k];
      else existing[k] = v;
    }
    return send(res, 200, { kind: 'Status', apiVersion: 'v1.0', metadata: {}, details: { errorCount: 0, messageList: [] }, status: 'Success', message: '', reason: 'Update node labels', code: '200 OK' });
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    labelsOf: (name) => (nodes.has(name) ? { ...nodes.get(name)! } : undefined),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
