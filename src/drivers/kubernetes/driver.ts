import type { BaremetalNode } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import { withoutSecrets } from '../redact.ts';
import type { DriverContext, DriverMemo, KubernetesDriver, Progress } from '../types.ts';
import { describePatch, desiredLabels, labelPatch, type Labels } from './labels.ts';
import { RelabelError, request, statusText, type Reply } from './request.ts';

const ACTIONS: ReadonlySet<DriverAction> = new Set<DriverAction>(['relabel_node']);
// A node that changes under every patch (a controller fighting the design) fails after this many tries.
const MAX_CONFLICTS = 5;

export interface KubernetesOptions {
  /** Node/Deno: a fetch trusting KUBERNETES_CA_FILE (src/runtime/kubernetes-fetch.ts); absent, the call's fetch. */
  fetch?: typeof fetch;
}

type Ctx = Pick<DriverContext, 'config' | 'fetch'>;

function api(ctx: Ctx) {
  const base = (ctx.config.KUBERNETES_API_URL ?? '').replace(/\/+$/, '');
  const token = ctx.config.KUBERNETES_TOKEN ?? '';
  const opts = { peer: `the Kubernetes API server ${base}`, timeoutMs: ctx.config.KUBERNETES_REQUEST_TIMEOUT_MS, caSetting: 'KUBERNETES_CA_FILE' };
  return { base, token, opts, headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } };
}

/** 401/403 name the setting; the API server's Status message (never the token) says which permission is missing. */
function refused(reply: Reply, what: string): RelabelError | null {
  if (reply.status === 401) return new RelabelError(`the Kubernetes API server rejected KUBERNETES_TOKEN (${statusText(reply)}) on ${what}`);
  if (reply.status === 403) {
    return new RelabelError(`KUBERNETES_TOKEN may not ${what} (${statusText(reply)}): its service account needs get and patch on nodes`);
  }
  return null;
}

async function relabel(ctx: Ctx, fetchFn: typeof fetch, node: BaremetalNode, memo?: DriverMemo): Promise<Progress> {
  const { base, headers, opts } = api(ctx);
  const url = `${base}/api/v1/nodes/${encodeURIComponent(node.name)}`;
  const got = await request(fetchFn, url, { method: 'GET', headers }, opts);
  if (got.status === 404) {
    return { state: 'failed', reason: `node ${node.name}: not a Kubernetes node yet (the API server has no node named ${node.name})` };
  }
  const denied = refused(got, 'get nodes');
  if (denied) throw denied;
  const metadata = got.body?.metadata as { labels?: Labels; resourceVersion?: string } | undefined;
  if (got.status !== 200 || !metadata) throw new RelabelError(`GET ${url} answered ${statusText(got)}`);
  const patch = labelPatch(metadata.labels ?? {}, desiredLabels(node));
  if (!patch) return { state: 'done', detail: `node ${node.name}: labels already as designed` };
  // The resourceVersion makes the patch conditional: a label change by
  // someone else between our GET and PATCH answers 409 and we read again.
  const body = JSON.stringify({ metadata: { labels: patch, resourceVersion: metadata.resourceVersion } });
  const patched = await request(fetchFn, url, {
    method: 'PATCH',
    headers: { ...headers, 'Content-Type': 'application/merge-patch+json' },
    body,
  }, opts);
  if (patched.status === 409) {
    const conflicts = Number(memo?.conflicts ?? 0) + 1;
    if (conflicts >= MAX_CONFLICTS) throw new RelabelError(`the node changed under each of ${conflicts} patches (HTTP 409): something else keeps relabelling it`);
    return { state: 'pending', detail: `node ${node.name} changed while relabelling; reading it again`, retryAfterMs: 1000, memo: { conflicts } };
  }
  const denied2 = refused(patched, 'patch nodes');
  if (denied2) throw denied2;
  if (patched.status !== 200) throw new RelabelError(`PATCH ${url} answered ${statusText(patched)}`);
  return { state: 'done', detail: `node ${node.name}: ${describePatch(patch)}` };
}

/**
 * KUBERNETES_DRIVER=kubernetes: relabels nodes directly through the
 * Kubernetes API (Drydock goes through Promenade, which does the same read
 * and patch). Stateless: every call reads the node afresh.
 */
export function createKubernetesDriver(options: KubernetesOptions = {}): KubernetesDriver {
  return {
    name: 'kubernetes',
    actions: ACTIONS,
    async run(ctx, action, node, memo) {
      if (action !== 'relabel_node' || !node) return { state: 'failed', reason: `the kubernetes driver does not carry out ${action}${node ? '' : ' site-wide'}` };
      try {
        return await relabel(ctx, options.fetch ?? ctx.fetch, node, memo);
      } catch (err) {
        const what = err instanceof RelabelError ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
        return { state: 'failed', reason: withoutSecrets(`node ${node.name}: ${what}`, [ctx.config.KUBERNETES_TOKEN]) };
      }
    },
    async health(ctx) {
      const { base, headers, opts, token } = api(ctx);
      try {
        const reply = await request(options.fetch ?? ctx.fetch, `${base}/version`, { method: 'GET', headers }, opts);
        const denied = refused(reply, 'get /version');
        if (denied) throw denied;
        const version = reply.body?.gitVersion;
        if (reply.status !== 200 || typeof version !== 'string') throw new RelabelError(`GET ${base}/version answered ${statusText(reply)}`);
        return `Kubernetes API server ${base} answers, version ${version}`;
      } catch (err) {
        throw new Error(withoutSecrets(err instanceof Error ? err.message : String(err), [token]));
      }
    },
  };
}
