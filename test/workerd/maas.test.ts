import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eApi } from '../helpers/e2e-api.ts';
import { ROOT } from '../helpers/spawn.ts';
import { bundleWorker, startWorker, type WorkerBundle, type WorkerInstance } from '../helpers/worker-bundle.ts';
import { startExampleMaas } from '../maas/example-site.ts';
import type { MaasSimulator } from '../maas/simulator.ts';
import { NODE_STATUS } from '../maas/status.ts';

// The real worker bundle in workerd with NODE_DRIVER=maas: OAuth signing
// (randomUUID nonces), form bodies and polling through the Queue consumer,
// against the MAAS simulator on loopback (a MAAS the edge can reach).

const TOKEN = 'workerd-maas-admin';
const WAIT_MS = 60_000;
let bundle: WorkerBundle;
let sim: MaasSimulator;
let worker: WorkerInstance;
let stopMaas: (() => Promise<void>) | undefined;

beforeAll(async () => {
  bundle = await bundleWorker();
  ({ sim, stop: stopMaas } = await startExampleMaas({ commissionTicks: 2, deployTicks: 2, releaseTicks: 1 }));
  worker = await startWorker(bundle.scriptPath, {
    AUTH_MODE: 'token',
    AUTH_TOKENS: `ops:admin:${createHash('sha256').update(TOKEN).digest('hex')}`,
    NODE_DRIVER: 'maas',
    MAAS_URL: sim.url,
    MAAS_API_KEY: sim.apiKey,
    MAAS_POLL_INTERVAL_MS: '200',
    FAKE_LAB_STEP_MS: '0',
    TASK_POLL_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'warn',
  }, { consumeQueue: true });
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
  await stopMaas?.();
  await bundle?.cleanup();
});

const { api, runTask } = e2eApi(() => ({ url: worker.url, output: () => worker.output.join('\n') }), () => TOKEN, WAIT_MS);

describe('the MAAS node driver on Workers', { timeout: 3 * WAIT_MS }, () => {
  it('lists MAAS machines for GET /nodes and names MAAS in /health/extended', async () => {
    const nodes = (await (await api('/nodes')).json()) as Array<{ hostname: string }>;
    expect(nodes.map((n) => n.hostname).sort()).toEqual(['enlisted-1', 'enlisted-2', 'enlisted-3']);
    expect(await (await api('/health/extended')).text()).toContain('MAAS 3.5.0');
  });

  it('prepares the example site and its nodes through the Queue consumer', async () => {
    const stored = await api('/designs', {
      method: 'POST',
      body: await readFile(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8'),
      headers: { 'Content-Type': 'application/x-yaml' },
    });
    expect(stored.status).toBe(201);
    const ref = ((await stored.json()) as { href: string }).href;
    expect((await runTask('prepare_site', ref)).result.status, worker.output.join('\n')).toBe('success');
    expect(sim.state.network.subnets.map((s) => s.cidr).sort()).toEqual(['10.23.10.0/24', '10.23.20.0/24']);
    const prepared = await runTask('prepare_nodes', ref);
    expect([...prepared.result.successes].sort()).toEqual(['east-cmp01', 'east-cmp02', 'east-ctl01']);
    for (const name of ['east-ctl01', 'east-cmp01', 'east-cmp02']) expect(sim.machine(name).status).toBe(NODE_STATUS.READY);
    // Each request carried its own nonce (MAAS refuses a reused one).
    expect(sim.calls().every((c) => c.status !== 401)).toBe(true);
  });
});
