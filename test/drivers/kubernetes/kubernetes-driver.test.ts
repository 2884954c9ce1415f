import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.ts';
import { createKubernetesDriver } from '../../../src/drivers/kubernetes/driver.ts';
import { selfSignedCert, type TestCert } from '../redfish/tls-cert.ts';
import { contextFor, K8S_TOKEN, nodeWith } from './context.ts';
import { startK8sApi, type K8sApi, type K8sApiOptions } from './k8s-api.ts';

let cert: TestCert;
const apis: K8sApi[] = [];
beforeAll(() => {
  cert = selfSignedCert();
});
afterAll(() => cert.remove());
afterEach(async () => {
  await Promise.all(apis.splice(0).map((a) => a.close()));
});

const SYSTEM = { 'kubernetes.io/hostname': 'n1', 'node-role.kubernetes.io/control-plane': '' };

async function api(options: Partial<K8sApiOptions> = {}) {
  const a = await startK8sApi({ token: K8S_TOKEN, nodes: { n1: { ...SYSTEM, 'openstack-control-plane': 'enabled', 'ceph-osd': 'enabled', rack: 'r1' } }, ...options });
  apis.push(a);
  return a;
}

const envOf = (a: K8sApi, more: Record<string, string> = {}) => ({ KUBERNETES_DRIVER: 'kubernetes', KUBERNETES_API_URL: a.url, KUBERNETES_TOKEN: K8S_TOKEN, ...more });
const driver = createKubernetesDriver();

describe('the kubernetes driver relabels a node', () => {
  it('sets new and changed labels and removes the ones the design dropped, in one merge patch, sparing kubernetes.io keys', async () => {
    const a = await api();
    const node = nodeWith('n1', { 'openstack-control-plane': 'enabled', rack: 'r2', 'openvswitch': 'enabled' });
    const { ctx } = await contextFor([node], envOf(a));
    const answer = await driver.run(ctx, 'relabel_node', node);
    expect(answer).toEqual({ state: 'done', detail: 'node n1: set rack=r2, openvswitch=enabled; removed ceph-osd' });
    expect(a.labelsOf('n1')).toEqual({ ...SYSTEM, 'openstack-control-plane': 'enabled', rack: 'r2', openvswitch: 'enabled' });
    expect(a.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/nodes/n1', 'PATCH /api/v1/nodes/n1']);
    const patch = a.requests[1]!;
    expect(patch.contentType).toBe('application/merge-patch+json');
    expect(patch.authorization).toBe(`Bearer ${K8S_TOKEN}`);
    expect(JSON.parse(patch.body).metadata.labels).toEqual({ rack: 'r2', openvswitch: 'enabled', 'ceph-osd': null });
  });

  it('sends nothing when the labels are already as designed', async () => {
    const a = await api();
    const node = nodeWith('n1', { 'openstack-control-plane': 'enabled', 'ceph-osd': 'enabled', rack: 'r1' });
    const { ctx } = await contextFor([node], envOf(a));
    expect(await driver.run(ctx, 'relabel_node', node)).toEqual({ state: 'done', detail: 'node n1: labels already as designed' });
    expect(a.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('reads the node again when someone else changed it between the read and the patch (409), keeping their kubernetes.io label', async () => {
    const a = await api({ racePatchOnce: { node: 'n1', key: 'node.kubernetes.io/exclude-from-external-load-balancers', value: 'true' } });
    const node = nodeWith('n1', { rack: 'r3' });
    const { ctx } = await contextFor([node], envOf(a));
    expect((await driver.run(ctx, 'relabel_node', node)).state).toBe('pending');
    expect((await driver.run(ctx, 'relabel_node', node)).state).toBe('done');
    expect(a.labelsOf('n1')).toEqual({ ...SYSTEM, 'node.kubernetes.io/exclude-from-external-load-balancers': 'true', rack: 'r3' });
  });

  it('fails a node that changes under every patch after 5 tries, instead of retrying for ever', async () => {
    const a = await api({ raceEveryPatch: true });
    const node = nodeWith('n1', { rack: 'r3' });
    const { ctx } = await contextFor([node], envOf(a));
    let memo;
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const answer = await driver.run(ctx, 'relabel_node', node, memo);
      answers.push(answer.state);
      memo = answer.state === 'pending' ? answer.memo : undefined;
    }
    expect(answers).toEqual(['pending', 'pending', 'pending', 'pending', 'failed']);
    expect(a.labelsOf('n1')!.rack).toBe('r1');
  });

  it('trusts the API server certificate through KUBERNETES_CA_FILE, and says to set it when missing', async () => {
    const a = await api({ tls: { key: cert.key, cert: cert.cert } });
    const node = nodeWith('n1', { rack: 'r1' });
    const without = await contextFor([node], envOf(a));
    const refused = await driver.run(without.ctx, 'relabel_node', node);
    expect(refused.state).toBe('failed');
    expect(refused.state === 'failed' && refused.reason).toMatch(/^node n1: the Kubernetes API server https:\/\/127\.0\.0\.1:\d+: its TLS certificate is not trusted .*KUBERNETES_CA_FILE/);
    const trusted = await contextFor([node], envOf(a, { KUBERNETES_CA_FILE: cert.certFile }));
    expect((await driver.run(trusted.ctx, 'relabel_node', node)).state).toBe('done');
    expect(a.labelsOf('n1')).toEqual({ ...SYSTEM, rack: 'r1' });
  });

  it('answers the API server version as its health', async () => {
    const a = await api();
    const { ctx } = await contextFor([], envOf(a));
    expect(await driver.health(ctx)).toBe(`Kubernetes API server ${a.url} answers, version v1.29.2`);
  });
});

describe('the kubernetes driver fails clearly', () => {
  it('says a node the API server does not know is not a Kubernetes node yet', async () => {
    const a = await api();
    const node = nodeWith('n9', { rack: 'r1' });
    const { ctx } = await contextFor([node], envOf(a));
    expect(await driver.run(ctx, 'relabel_node', node)).toEqual({
      state: 'failed',
      reason: 'node n9: not a Kubernetes node yet (the API server has no node named n9)',
    });
    expect(a.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('names KUBERNETES_TOKEN on a 401 without echoing the token, in the answer or the logs', async () => {
    const a = await api();
    const wrong = 'wrong-k8s-token-90817';
    const node = nodeWith('n1', { rack: 'r2' });
    const { ctx, lines } = await contextFor([node], envOf(a, { KUBERNETES_TOKEN: wrong }));
    const answer = await driver.run(ctx, 'relabel_node', node);
    expect(answer).toEqual({ state: 'failed', reason: 'node n1: the Kubernetes API server rejected KUBERNETES_TOKEN (HTTP 401: Unauthorized) on get nodes' });
    await expect(driver.health(ctx)).rejects.toThrow(/rejected KUBERNETES_TOKEN/);
    expect(JSON.stringify(answer) + lines.join('\n')).not.toContain(wrong);
    expect(a.requests[0]!.authorization).toBe(`Bearer ${wrong}`);
    expect(a.labelsOf('n1')!.rack).toBe('r1');
  });

  it('says which permission a 403 lacks', async () => {
    const a = await api({ forbid: ['patch'] });
    const node = nodeWith('n1', { rack: 'r2' });
    const { ctx } = await contextFor([node], envOf(a));
    const answer = await driver.run(ctx, 'relabel_node', node);
    expect(answer.state === 'failed' && answer.reason).toContain('KUBERNETES_TOKEN may not patch nodes (HTTP 403: nodes "n1" is forbidden: User "system:serviceaccount:ucp:drydock" cannot patch resource "nodes"');
    expect(answer.state === 'failed' && answer.reason).not.toContain(K8S_TOKEN);
  });

  it('gives up on an API server that never answers within KUBERNETES_REQUEST_TIMEOUT_MS', async () => {
    const a = await api({ hang: true });
    const node = nodeWith('n1', { rack: 'r2' });
    const { ctx } = await contextFor([node], envOf(a, { KUBERNETES_REQUEST_TIMEOUT_MS: '300' }));
    const started = Date.now();
    const answer = await driver.run(ctx, 'relabel_node', node);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(answer).toEqual({ state: 'failed', reason: `node n1: the Kubernetes API server ${a.url}: no answer within 300 ms (KUBERNETES_REQUEST_TIMEOUT_MS): unreachable or too slow` });
  });

  it('stops start-up without the API URL or the token', () => {
    expect(() => loadConfig({ KUBERNETES_DRIVER: 'kubernetes', KUBERNETES_TOKEN: 't' })).toThrow('KUBERNETES_API_URL: required when KUBERNETES_DRIVER=kubernetes');
    expect(() => loadConfig({ KUBERNETES_DRIVER: 'kubernetes', KUBERNETES_API_URL: 'https://k8s:6443' })).toThrow('KUBERNETES_TOKEN: required when KUBERNETES_DRIVER=kubernetes');
  });
});
