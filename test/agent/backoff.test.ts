import { afterEach, describe, expect, it } from 'vitest';
import { Backoff } from '../../src/agent/backoff.ts';
import type { FakeEdge } from './fake-edge.ts';
import { cleanUp, DESIGN, TOKEN, SITE, scriptedDrivers, startAgent, tempDir, until, type TestAgent } from './harness.ts';
import { FakeEdge as Edge } from './fake-edge.ts';
import { closedPort } from '../helpers/origin.ts';

describe('Backoff', () => {
  it('doubles from 1 s to 60 s, each delay between half and all of its step', () => {
    const top = new Backoff({ minMs: 1000, maxMs: 60_000, random: () => 0.999999 });
    expect(Array.from({ length: 9 }, () => top.next())).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    const bottom = new Backoff({ minMs: 1000, maxMs: 60_000, random: () => 0 });
    expect(Array.from({ length: 8 }, () => bottom.next())).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    bottom.reset();
    expect(bottom.next()).toBe(500);
  });

  it('spreads agents that failed together (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => new Backoff({ minMs: 1000, maxMs: 60_000 }).next()));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(500);
  });
});

let edge: FakeEdge | undefined;
let running: TestAgent | undefined;
let temp: ReturnType<typeof tempDir> | undefined;

afterEach(async () => {
  await cleanUp(edge, running, temp);
  edge = running = temp = undefined;
});

describe('site agent: an unreachable edge', () => {
  it('backs off 1 s → 60 s with jitter while the edge is unreachable, connects when it comes, then starts again from 1 s', async () => {
    const port = await closedPort();
    edge = new Edge({ token: TOKEN, site: SITE, pollMs: 20, port });
    const call = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    temp = tempDir();
    const slept: number[] = [];
    const server = edge;
    // The agent's clock for waiting: record each delay, return at once; the edge comes up after the 9th.
    const sleep = async (ms: number) => {
      slept.push(ms);
      if (slept.length === 9) await server.start();
      await new Promise((r) => setImmediate(r));
    };
    running = await startAgent(`http://127.0.0.1:${port}`, temp.dir, {
      drivers: scriptedDrivers(async () => ({ state: 'done' })),
      // No inventory reports: their interval's sleep would be recorded among the backoff's delays.
      timings: { heartbeatMs: 60_000, leaseWaitSeconds: 1, backoffMinMs: 1000, backoffMaxMs: 60_000, minRenewMs: 30_000, inventoryMs: 0 },
      random: () => 0.5,
      sleep,
    });
    await until(() => call.state === 'done', 5000, 'the result');
    expect(slept.slice(0, 9)).toEqual([750, 1500, 3000, 6000, 12_000, 24_000, 45_000, 45_000, 45_000]);
    expect(edge.recorded(/^\/heartbeat$/)).toHaveLength(1);
    // Every failed try was logged without the token.
    const warnings = running.logs.filter((l) => l.includes('edge unreachable (heartbeat)'));
    expect(warnings).toHaveLength(9);
    expect(running.logs.join('\n')).not.toContain(TOKEN);

    // A reached edge resets the backoff: the next outage starts at the first step again.
    await edge.stop();
    const before = slept.length;
    await until(() => slept.length >= before + 2, 5000, 'backoff after the second outage');
    expect(slept[before]).toBe(750);
    expect(slept[before + 1]).toBe(1500);
  });

  it('waits at least what a 503 or 429 asks in Retry-After', async () => {
    edge = new Edge({ token: TOKEN, site: SITE, pollMs: 20 });
    await edge.start();
    edge.faults.push({ path: /^\/heartbeat$/, status: 503, left: 1, retryAfterSeconds: 3 }, { path: /^\/heartbeat$/, status: 429, left: 1 });
    temp = tempDir();
    const slept: number[] = [];
    running = await startAgent(edge.url, temp.dir, {
      drivers: scriptedDrivers(async () => ({ state: 'done' })),
      random: () => 0,
      sleep: async (ms) => {
        slept.push(ms);
        await new Promise((r) => setImmediate(r));
      },
    });
    await until(() => edge!.recorded(/^\/heartbeat$/).some((r) => r.status === 200), 5000, 'the heartbeat');
    expect(edge.recorded(/^\/heartbeat$/).map((r) => r.status)).toEqual([503, 429, 200]);
    // 3 s asked by the 503's Retry-After; then the backoff's own second step (FAST: 20 ms, random 0).
    expect(slept.slice(0, 2)).toEqual([3000, 20]);
  });
});
