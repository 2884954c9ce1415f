import { afterEach, describe, expect, it } from 'vitest';
import type { FakeEdge } from './fake-edge.ts';
import { cleanUp, DESIGN, scriptedDrivers, startAgent, startEdge, tempDir, until, type TestAgent } from './harness.ts';

let edge: FakeEdge | undefined;
let running: TestAgent | undefined;
let temp: ReturnType<typeof tempDir> | undefined;

afterEach(async () => {
  gates?.releaseAll();
  await cleanUp(edge, running, temp);
  edge = running = temp = gates = undefined;
});

/** A node driver whose calls run until the test releases them, by node name. */
function gatedCalls() {
  const open = new Map<string, () => void>();
  let peak = 0;
  const drivers = scriptedDrivers(async (_action, node) => {
    const name = node!.name;
    await new Promise<void>((resolve) => {
      open.set(name, resolve);
      peak = Math.max(peak, open.size);
    });
    return { state: 'done', detail: `ran on ${name}` };
  });
  const release = (name: string) => {
    open.get(name)!();
    open.delete(name);
  };
  return {
    drivers,
    running: () => [...open.keys()].sort(),
    peak: () => peak,
    release,
    releaseAll: () => [...open.keys()].forEach(release),
  };
}

let gates: ReturnType<typeof gatedCalls> | undefined;

const NODES = ['east-ctl01', 'east-cmp01', 'east-cmp02'];

describe('site agent: several calls at once (AGENT_MAX_CALLS)', () => {
  it('runs two calls at once with max 2, each under its own lease, posts both results, and reuses a freed slot', async () => {
    // A short lease: each running call renews every 0.2 s.
    edge = await startEdge({ leaseSeconds: 0.6 });
    temp = tempDir();
    gates = gatedCalls();
    const hash = edge.addDesign(DESIGN);
    const calls = NODES.map((node) => edge!.enqueue({ node, action: 'identify_node', driver: 'node', contentHash: hash }));
    running = await startAgent(edge.url, temp.dir, { drivers: gates.drivers, maxCalls: 2 });
    // Both run at once: with one slot the second would wait for the first, which waits for the test.
    await until(() => gates!.running().length === 2, 5000, 'two calls running at once');
    expect(gates.running()).toEqual(['east-cmp01', 'east-ctl01']);
    // Each renews under its own lease, while the third call waits at the edge for a slot.
    await until(() => calls.slice(0, 2).every((c) => edge!.recorded(new RegExp(`/calls/${c.call_id}/renew$`)).length > 0), 5000, 'renewals of both');
    expect(calls[2]!.state).toBe('queued');
    gates.release('east-ctl01');
    await until(() => gates!.running().includes('east-cmp02'), 5000, 'the third call in the freed slot');
    expect(gates.running()).toEqual(['east-cmp01', 'east-cmp02']);
    gates.releaseAll();
    await until(() => calls.every((c) => c.state === 'done'), 5000, 'all three results');
    for (const call of calls) {
      expect(call.result).toMatchObject({ lease_id: call.lease_id, progress: { state: 'done', detail: `ran on ${call.node}` } });
    }
    expect(gates.peak()).toBe(2);
    // It asks for as many calls as it has free slots, never more.
    const asked = edge.recorded(/^\/lease$/).map((r) => (r.body as { max: number }).max);
    expect(asked[0]).toBe(2);
    expect(asked.every((max) => max === 1 || max === 2)).toBe(true);
    expect(asked).toContain(1);
  });

  it('runs one call at a time with max 1', async () => {
    edge = await startEdge();
    temp = tempDir();
    gates = gatedCalls();
    const hash = edge.addDesign(DESIGN);
    const calls = NODES.slice(0, 2).map((node) => edge!.enqueue({ node, action: 'identify_node', driver: 'node', contentHash: hash }));
    running = await startAgent(edge.url, temp.dir, { drivers: gates.drivers, maxCalls: 1 });
    await until(() => gates!.running().length === 1, 5000, 'the first call');
    expect(calls[1]!.state).toBe('queued');
    gates.release('east-ctl01');
    await until(() => gates!.running().length === 1 && calls[0]!.state === 'done', 5000, 'the second call');
    gates.releaseAll();
    await until(() => calls.every((c) => c.state === 'done'), 5000, 'both results');
    expect(gates.peak()).toBe(1);
  });

  it('finishes every running call and posts its result when stopped, leasing no more', async () => {
    edge = await startEdge();
    temp = tempDir();
    gates = gatedCalls();
    const hash = edge.addDesign(DESIGN);
    const calls = NODES.map((node) => edge!.enqueue({ node, action: 'identify_node', driver: 'node', contentHash: hash }));
    running = await startAgent(edge.url, temp.dir, { drivers: gates.drivers, maxCalls: 2 });
    await until(() => gates!.running().length === 2, 5000, 'two calls running');
    running.agent.stop();
    gates.releaseAll();
    expect(await running.done).toBeUndefined();
    expect(calls.map((c) => c.state)).toEqual(['done', 'done', 'queued']);
    expect(edge.recorded(/\/result$/).map((r) => r.status)).toEqual([200, 200]);
  });
});
