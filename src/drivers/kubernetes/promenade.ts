import type { BaremetalNode } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import type { DriverContext, KubernetesDriver, Progress } from '../types.ts';
import { desiredLabels } from './labels.ts';
import { RelabelError, request, statusText } from './request.ts';

const ACTIONS: ReadonlySet<DriverAction> = new Set<DriverAction>(['relabel_node']);

export interface PromenadeOptions {
  /** The service's Keystone token (createServiceKeystone); absent without Keystone settings. */
  serviceToken?: () => Promise<string>;
  /** Drops a token Promenade answered 401 to, so the next serviceToken() is a fresh one. */
  forgetServiceToken?: (token: string) => void;
  /** Node/Deno: a fetch trusting KUBERNETES_CA_FILE; absent, the call's fetch. */
  fetch?: typeof fetch;
}

type Ctx = Pick<DriverContext, 'config' | 'fetch'>;

/**
 * Promenade's base: PROMENADE_URL as given, or a catalog-style endpoint
 * (http://promenade:80/api/v1.0) cut back to its root. Drydock kept only the
 * endpoint's host and port and always dialled http, whatever its scheme; here
 * https stays https.
 */
export function promenadeBase(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api(\/v1\.0)?$/, '');
}

async function token(options: PromenadeOptions): Promise<string> {
  if (!options.serviceToken) throw new RelabelError('Promenade needs a Keystone token: set KEYSTONE_AUTH_URL, KEYSTONE_USERNAME and KEYSTONE_PASSWORD');
  try {
    return await options.serviceToken();
  } catch (err) {
    throw new RelabelError(`could not obtain a Keystone service token (${err instanceof Error ? err.message : String(err)})`);
  }
}

async function relabel(ctx: Ctx, options: PromenadeOptions, node: BaremetalNode, taskId: string): Promise<Progress> {
  const base = promenadeBase(ctx.config.PROMENADE_URL ?? '');
  const url = `${base}/api/v1.0/node-labels/${encodeURIComponent(node.name)}`;
  const opts = { peer: `Promenade ${base}`, timeoutMs: ctx.config.KUBERNETES_REQUEST_TIMEOUT_MS, caSetting: 'KUBERNETES_CA_FILE' };
  const labels = desiredLabels(node);
  const put = async (t: string) =>
    request(options.fetch ?? ctx.fetch, url, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-Auth-Token': t, 'X-Context-Marker': taskId },
      body: JSON.stringify(labels),
    }, opts);
  let t = await token(options);
  let reply = await put(t);
  // As Drydock's PromenadeSession: one new token after a 401 (the cached one may have been revoked).
  if (reply.status === 401) {
    options.forgetServiceToken?.(t);
    t = await token(options);
    reply = await put(t);
  }
  if (reply.status === 404) {
    return { state: 'failed', reason: `node ${node.name}: Promenade answered ${statusText(reply)} (not a Kubernetes node yet?)` };
  }
  if (reply.status === 401 || reply.status === 403) {
    throw new RelabelError(`Promenade refused the service's Keystone token (${statusText(reply)}): its user needs kubernetes_provisioner:update_node_labels`);
  }
  if (reply.status !== 200) throw new RelabelError(`PUT ${url} answered ${statusText(reply)}`);
  const shown = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
  return { state: 'done', detail: `node ${node.name}: Promenade set labels {${shown}}` };
}

/**
 * KUBERNETES_DRIVER=promenade, Drydock's way: PUT the node's whole label set
 * to Promenade, which reads the node and patches what differs (it removes
 * labels not in the set, sparing keys containing kubernetes.io).
 */
export function createPromenadeDriver(options: PromenadeOptions = {}): KubernetesDriver {
  return {
    name: 'promenade',
    actions: ACTIONS,
    async run(ctx, action, node) {
      if (action !== 'relabel_node' || !node) return { state: 'failed', reason: `the promenade driver does not carry out ${action}${node ? '' : ' site-wide'}` };
      try {
        return await relabel(ctx, options, node, ctx.taskId);
      } catch (err) {
        const what = err instanceof RelabelError ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
        return { state: 'failed', reason: `node ${node.name}: ${what}` };
      }
    },
    async health(ctx) {
      // Promenade's /api/v1.0/health answers 204 without authentication.
      const base = promenadeBase(ctx.config.PROMENADE_URL ?? '');
      const opts = { peer: `Promenade ${base}`, timeoutMs: ctx.config.KUBERNETES_REQUEST_TIMEOUT_MS, caSetting: 'KUBERNETES_CA_FILE' };
      const reply = await request(options.fetch ?? ctx.fetch, `${base}/api/v1.0/health`, { method: 'GET' }, opts);
      if (reply.status !== 204 && reply.status !== 200) throw new RelabelError(`GET ${base}/api/v1.0/health answered ${statusText(reply)}`);
      return `Promenade ${base} answers`;
    },
  };
}
