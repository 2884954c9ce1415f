import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.ts';
import { createPromenadeDriver, promenadeBase } from '../../../src/drivers/kubernetes/promenade.ts';
import { contextFor, nodeWith } from './context.ts';
import { startPromenadeApi, type PromenadeApi } from './promenade-api.ts';

const apis: PromenadeApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map((a) => a.close()));
});

const KEYSTONE = { KEYSTONE_AUTH_URL: 'http://127.0.0.1:1/v3', KEYSTONE_USERNAME: 'drydock', KEYSTONE_PASSWORD: 'pw' };

/** Keystone service tokens as createServiceKeystone hands them out: one cached until forgotten. */
function tokens() {
  let n = 1;
  let current: string | null = null;
  const forgotten: string[] = [];
  return {
    forgotten,
    serviceToken: async () => (current ??= `ks-token-${n++}`),
    forgetServiceToken: (t: string) => {
      forgotten.push(t);
      if (current === t) current = null;
    },
  };
}

async function promenade(accepts: (t: string) => boolean) {
  const a = await startPromenadeApi({ accepts, nodes: { n1: { 'kubernetes.io/hostname': 'n1', 'ceph-osd': 'enabled', rack: 'r1' } } });
  apis.push(a);
  return a;
}

describe('the promenade driver', () => {
  it('PUTs the node\'s owner_data to node-labels with the Keystone token, as Drydock does', async () => {
    const a = await promenade((t) => t === 'ks-token-1');
    const node = nodeWith('n1', { rack: 'r2', 'openstack-control-plane': 'enabled' });
    // A catalog-style endpoint (…/api/v1.0) is cut back to Promenade's root.
    const { ctx } = await contextFor([node], { KUBERNETES_DRIVER: 'promenade', PROMENADE_URL: `${a.url}/api/v1.0`, ...KEYSTONE });
    const answer = await createPromenadeDriver(tokens()).run(ctx, 'relabel_node', node);
    expect(answer).toEqual({ state: 'done', detail: 'node n1: Promenade set labels {rack=r2, openstack-control-plane=enabled}' });
    expect(a.requests).toEqual([{
      method: 'PUT', path: '/api/v1.0/node-labels/n1', token: 'ks-token-1', marker: 'task-1', contentType: 'application/json',
      body: JSON.stringify({ rack: 'r2', 'openstack-control-plane': 'enabled' }),
    }]);
    expect(a.labelsOf('n1')).toEqual({ 'kubernetes.io/hostname': 'n1', rack: 'r2', 'openstack-control-plane': 'enabled' });
  });

  it('takes a new Keystone token once when Promenade answers 401 to the cached one', async () => {
    const a = await promenade((t) => t === 'ks-token-2');
    const node = nodeWith('n1', { rack: 'r2' });
    const { ctx } = await contextFor([node], { KUBERNETES_DRIVER: 'promenade', PROMENADE_URL: a.url, ...KEYSTONE });
    const t = tokens();
    expect((await createPromenadeDriver(t).run(ctx, 'relabel_node', node)).state).toBe('done');
    expect(t.forgotten).toEqual(['ks-token-1']);
    expect(a.requests.map((r) => r.token)).toEqual(['ks-token-1', 'ks-token-2']);
  });

  it('fails naming the node and Promenade\'s answer when the node is not in the cluster', async () => {
    const a = await promenade(() => true);
    const node = nodeWith('n9', { rack: 'r2' });
    const { ctx } = await contextFor([node], { KUBERNETES_DRIVER: 'promenade', PROMENADE_URL: a.url, ...KEYSTONE });
    expect(await createPromenadeDriver(tokens()).run(ctx, 'relabel_node', node)).toEqual({
      state: 'failed',
      reason: 'node n9: Promenade answered HTTP 404: Node not found (not a Kubernetes node yet?)',
    });
  });

  it('says Promenade refused the token after the retry, without showing it', async () => {
    const a = await promenade(() => false);
    const node = nodeWith('n1', { rack: 'r2' });
    const { ctx } = await contextFor([node], { KUBERNETES_DRIVER: 'promenade', PROMENADE_URL: a.url, ...KEYSTONE });
    const answer = await createPromenadeDriver(tokens()).run(ctx, 'relabel_node', node);
    expect(answer.state === 'failed' && answer.reason).toContain('node n1: Promenade refused the service\'s Keystone token (HTTP 401: Credentials are required)');
    expect(JSON.stringify(answer)).not.toContain('ks-token');
    expect(a.requests).toHaveLength(2);
  });

  it('answers its health from Promenade\'s /api/v1.0/health', async () => {
    const a = await promenade(() => true);
    const { ctx } = await contextFor([], { KUBERNETES_DRIVER: 'promenade', PROMENADE_URL: a.url, ...KEYSTONE });
    expect(await createPromenadeDriver(tokens()).health(ctx)).toBe(`Promenade ${a.url} answers`);
  });

  // Drydock's PromenadeSession rebuilt the URL as http://host:port/api/ whatever the catalog's scheme.
  it('keeps an https Promenade on https (Drydock dialled http)', () => {
    expect(promenadeBase('https://promenade.ucp:8443/api/v1.0/')).toBe('https://promenade.ucp:8443');
  });

  it('stops start-up without PROMENADE_URL or Keystone settings', () => {
    expect(() => loadConfig({ KUBERNETES_DRIVER: 'promenade', ...KEYSTONE })).toThrow('PROMENADE_URL: required when KUBERNETES_DRIVER=promenade');
    expect(() => loadConfig({ KUBERNETES_DRIVER: 'promenade', PROMENADE_URL: 'http://p' })).toThrow('KEYSTONE_AUTH_URL: required when KUBERNETES_DRIVER=promenade');
  });
});
