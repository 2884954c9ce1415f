import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent, type Agent, type AgentDeps } from '../../src/agent/agent.ts';
import { DesignCache } from '../../src/agent/designs.ts';
import { createEdgeClient } from '../../src/agent/edge-client.ts';
import { openSpool, type Spool } from '../../src/agent/spool.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { DEFAULT_DESIGN_LIMITS } from '../../src/design/parse/limits.ts';
import { DRIVER_ACTIONS, type DriverAction } from '../../src/drivers/actions.ts';
import type { BaremetalNode } from '../../src/design/model.ts';
import type { CollectedBuildData, DriverMemo, Drivers, NodeDriver, Progress } from '../../src/drivers/types.ts';
import { FakeEdge } from './fake-edge.ts';

export const TOKEN = `dda_${'Q'.repeat(20)}secret${'z'.repeat(17)}`;
export const SITE = 'east-lab';
export const DESIGN = readFileSync(new URL('../fixtures/designs/site.yaml', import.meta.url), 'utf8');

/** Short timings, so a test runs the loop in milliseconds. */
export const FAST = { heartbeatMs: 60_000, leaseWaitSeconds: 1, backoffMinMs: 20, backoffMaxMs: 100, minRenewMs: 20 };

export type Script = (action: DriverAction, node: BaremetalNode | null, memo?: DriverMemo) => Promise<Progress>;

/** A node driver the test scripts; it collects one build data record per node. */
export function scriptedDrivers(script: Script, buildData = false): Drivers {
  const actions = new Set(Object.entries(DRIVER_ACTIONS).filter(([, kind]) => kind === 'node').map(([a]) => a as DriverAction));
  const node: NodeDriver = {
    name: 'scripted',
    actions,
    run: (_ctx, action, n, memo) => script(action, n, memo),
    health: async () => 'ok',
    listMachines: async () => [],
    bootImages: async () => ({}),
    async collectBuildData(_ctx, n, stage): Promise<CollectedBuildData[]> {
      if (!buildData) return [];
      return [{ nodeName: n.name, generator: `${stage}:lshw`, dataFormat: 'text/plain', dataElement: `lshw of ${n.name}`, collectedDate: new Date(Date.UTC(2026, 0, 1)) }];
    },
  };
  return { node, oob: [], kubernetes: null };
}

export interface TestAgent {
  agent: Agent;
  done: Promise<unknown>;
  spool: Spool;
  logs: string[];
}

export async function startEdge(options: Partial<ConstructorParameters<typeof FakeEdge>[0]> = {}): Promise<FakeEdge> {
  return new FakeEdge({ token: TOKEN, site: SITE, pollMs: 20, ...options }).start();
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'agent-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** After a test: stops its agent (and waits for it), then its fake edge, and removes its spool folder. */
export async function cleanUp(edge?: FakeEdge, running?: TestAgent, temp?: { remove(): void }): Promise<void> {
  running?.agent.stop();
  await running?.done;
  await edge?.stop();
  temp?.remove();
}

/** An in-process agent against `edgeUrl`; `done` settles when run() ends (its error, or undefined). */
export async function startAgent(edgeUrl: string, spoolDir: string, over: Partial<AgentDeps> & { drivers: Drivers }): Promise<TestAgent> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line) });
  const spool = await openSpool(spoolDir);
  const config = loadConfig({});
  const agent = createAgent({
    client: createEdgeClient({ edgeUrl, token: TOKEN, timeoutMs: 5000 }),
    spool,
    designs: new DesignCache(DEFAULT_DESIGN_LIMITS),
    base: { db: null as never, config, clock: () => new Date(), fetch: () => Promise.reject(new Error('no fetch in tests')), logger },
    siteName: SITE,
    heartbeat: { version: '0.1.0', drivers: ['node:scripted'], tools: { ipmitool: false, virsh: false } },
    maxCalls: 1,
    logger,
    timings: FAST,
    ...over,
  });
  const done = agent.run().then(
    () => undefined,
    (err: unknown) => err,
  );
  return { agent, done, spool, logs };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
