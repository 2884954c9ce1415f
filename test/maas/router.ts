import { badSignature, text, type MaasReply, type MaasRequest } from './http-util.ts';

/**
 * Piston's dispatch (canonical/maas src/maasserver/api/support.py
 * OperationsResource): a handler per (method, op); any other pair is a 400
 * 'Unrecognised signature', an unknown path the 404 of api/not_found.py.
 */
export type Handler = (r: MaasRequest, params: string[]) => MaasReply | Promise<MaasReply>;

export interface Route {
  path: RegExp;
  /** Keyed 'GET', 'POST allocate', ... */
  ops: Record<string, Handler>;
}

export async function dispatch(routes: Route[], r: MaasRequest, fullPath: string): Promise<MaasReply> {
  for (const route of routes) {
    const m = route.path.exec(r.path);
    if (!m) continue;
    const key = r.op ? `${r.method} ${r.op}` : r.method;
    const handler = route.ops[key];
    if (!handler) return badSignature(r);
    return handler(r, m.slice(1).map((s) => decodeURIComponent(s)));
  }
  return text(404, `Unknown API endpoint: ${fullPath}.`);
}
