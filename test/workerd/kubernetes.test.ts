import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startK8sApi, type K8sApi } from '../drivers/kubernetes/k8s-api.ts';
import { bundleWorker, startWorker, type WorkerBundle } from '../helpers/worker-bundle.ts';

// The real worker bundle in workerd: the kubernetes driver talks to the API
// server with the global fetch; a private CA bundle cannot be honoured there.

const TOKEN = 'workerd-k8s-token-3312';
let bundle: WorkerBundle;
let k8s: K8sApi;

beforeAll(async () => {
  bundle = await bundleWorker();
  k8s = await startK8sApi({ token: TOKEN, nodes: {} });
});
afterAll(async () => {
  await k8s?.close();
  await bundle?.cleanup();
});

describe('the kubernetes driver on Workers', () => {
  it('refuses KUBERNETES_CA_FILE at start', async () => {
    const worker = await startWorker(bundle.scriptPath, {
      AUTH_MODE: 'none', KUBERNETES_DRIVER: 'kubernetes', KUBERNETES_API_URL: k8s.url, KUBERNETES_TOKEN: TOKEN,
      KUBERNETES_CA_FILE: '/etc/kubernetes/pki/ca.crt', LOG_LEVEL: 'warn',
    });
    try {
      const res = await worker.fetch('/api/v1.0/health');
      expect(res.status).toBe(500);
      const body = (await res.json()) as { message: string };
      expect(body.message).toMatch(/^invalid configuration: KUBERNETES_CA_FILE: Workers cannot trust a private CA/);
    } finally {
      await worker.dispose();
    }
  });

  it('reaches the API server with the global fetch (/health/extended names its version)', async () => {
    const worker = await startWorker(bundle.scriptPath, {
      AUTH_MODE: 'none', KUBERNETES_DRIVER: 'kubernetes', KUBERNETES_API_URL: k8s.url, KUBERNETES_TOKEN: TOKEN, LOG_LEVEL: 'warn',
    });
    try {
      const res = await worker.fetch('/api/v1.0/health/extended');
      const body = (await res.json()) as { details: { messageList: Array<{ name: string; message: string; error: boolean }> } };
      expect(body.details.messageList.find((m) => m.name === 'kubernetes driver kubernetes')).toMatchObject({
        error: false,
        message: `Kubernetes API server ${k8s.url} answers, version v1.29.2`,
      });
      expect(k8s.requests.at(-1)).toMatchObject({ method: 'GET', path: '/version', authorization: `Bearer ${TOKEN}` });
    } finally {
      await worker.dispose();
    }
  });
});
