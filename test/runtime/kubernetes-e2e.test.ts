import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startK8sApi, type K8sApi } from '../drivers/kubernetes/k8s-api.ts';
import { selfSignedCert, type TestCert } from '../drivers/redfish/tls-cert.ts';
import { e2eApi, startTokenServer } from '../helpers/e2e-api.ts';
import { NODE_ENTRY, ROOT, type Server } from '../helpers/spawn.ts';

// relabel_nodes through the public API: `tsx src/node.ts` with
// KUBERNETES_DRIVER=kubernetes against the Kubernetes API double over TLS
// (KUBERNETES_CA_FILE), the fixture site (owner_data: site, role), and the
// fake node and OOB drivers. east-cmp02 has not joined the cluster.

const K8S_TOKEN = 'e2e-k8s-token-40417';
const WAIT_MS = 60_000;

let dir: string;
let cert: TestCert;
let k8s: K8sApi;
let server: Server | undefined;
let token = '';

beforeAll(async () => {
  cert = selfSignedCert();
  k8s = await startK8sApi({
    token: K8S_TOKEN,
    tls: { key: cert.key, cert: cert.cert },
    nodes: {
      'east-ctl01': { 'kubernetes.io/hostname': 'east-ctl01', role: 'compute', 'retired-label': 'x' },
      'east-cmp01': { 'kubernetes.io/hostname': 'east-cmp01', site: 'east-lab', role: 'compute' },
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'drydock-k8s-e2e-'));
  await mkdir(join(dir, 'designs'));
  await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(dir, 'designs', 'site.yaml'));
  ({ server, token } = await startTokenServer(NODE_ENTRY, dir, {
    KUBERNETES_DRIVER: 'kubernetes',
    KUBERNETES_API_URL: k8s.url,
    KUBERNETES_TOKEN: K8S_TOKEN,
    KUBERNETES_CA_FILE: cert.certFile,
    TASK_POLL_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'debug',
  }));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await k8s?.close();
  cert?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const { api, runTask } = e2eApi(() => server!, () => token, WAIT_MS);

describe('relabel_nodes against a Kubernetes API server (tsx src/node.ts)', { timeout: 2 * WAIT_MS }, () => {
  it('says in /health/extended which API server version it reaches', async () => {
    const body = (await (await api('/health/extended')).json()) as { details: { messageList: Array<{ name: string; error: boolean; message: string }> } };
    expect(body.details.messageList).toContainEqual(expect.objectContaining({ name: 'kubernetes driver kubernetes', error: false }));
    expect(JSON.stringify(body)).toContain('version v1.29.2');
  });

  it('sets each node\'s owner_data as its labels and fails the node that has not joined', async () => {
    const task = await runTask('relabel_nodes', `file://${join(dir, 'designs', 'site.yaml')}`);
    expect([...task.result.successes].sort(), server!.output()).toEqual(['east-cmp01', 'east-ctl01']);
    expect(task.result.failures).toEqual(['east-cmp02']);
    expect(k8s.labelsOf('east-ctl01')).toEqual({ 'kubernetes.io/hostname': 'east-ctl01', site: 'east-lab', role: 'control' });
    expect(k8s.labelsOf('east-cmp01')).toEqual({ 'kubernetes.io/hostname': 'east-cmp01', site: 'east-lab', role: 'compute' });
    // east-cmp01 was already as designed: read, never patched.
    expect(k8s.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual(['/api/v1/nodes/east-ctl01']);
    const details = await (await api(`/tasks/${task.task_id}?subtaskerrors=true&layers=-1`)).text();
    expect(details).toContain('node east-cmp02: not a Kubernetes node yet');
  });

  it('keeps the token out of the log and the task record', async () => {
    expect(server!.output()).not.toContain(K8S_TOKEN);
    const tasks = await (await api('/tasks')).text();
    expect(tasks).not.toContain(K8S_TOKEN);
  });
});
