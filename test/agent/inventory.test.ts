import { afterEach, describe, expect, it } from 'vitest';
import { TokenRefused } from '../../src/agent/edge-client.ts';
import type { Drivers, MachineSummary, NodeDriver } from '../../src/drivers/types.ts';
import type { FakeEdge } from './fake-edge.ts';
import { cleanUp, DESIGN, FAST, pause, scriptedDrivers, startAgent, startEdge, tempDir, until, type TestAgent } from './harness.ts';

let edge: FakeEdge | undefined;
let running: TestAgent | undefined;
let temp: ReturnType<typeof tempDir> | undefined;

afterEach(async () => {
  await cleanUp(edge, running, temp);
  edge = running = temp = undefined;
});

const machine = (hostname: string, status_name = 'Ready'): MachineSummary => ({
  hostname,
  memory: 8192,
  cpu_count: 4,
  status_name,
  boot_mac: '52:54:00:00:00:01',
  power_state: 'off',
  power_address: '10.23.1.11',
  boot_ip: null,
});

const IMAGES = { jammy: ['ga-22.04', 'hwe-22.04'] };

/** The scripted drivers with a node driver whose inventory the test sets (and counts the reads of). */
function siteDrivers(inventory: Pick<NodeDriver, 'listMachines' | 'bootImages'>): Drivers {
  const drivers = scriptedDrivers(async () => ({ state: 'done' }));
  return { ...drivers, node: { ...drivers.node, ...inventory } };
}

const inventories = (e: FakeEdge) => e.inventories as Array<{ taken: string; node_driver: string; machines: MachineSummary[]; boot_images: unknown }>;

describe('site agent: the inventory it reports', () => {
  it("reports the node driver's machines and boot images once connected, with the time it read them", async () => {
    edge = await startEdge();
    temp = tempDir();
    const before = Date.now();
    running = await startAgent(edge.url, temp.dir, {
      drivers: siteDrivers({ listMachines: async () => [machine('east-cmp01'), machine('east-cmp02', 'Deployed')], bootImages: async () => IMAGES }),
    });
    await until(() => edge!.inventories.length === 1, 5000, 'the inventory');
    const [report] = inventories(edge);
    expect(report).toEqual({
      taken: expect.any(String),
      node_driver: 'scripted',
      machines: [machine('east-cmp01'), machine('east-cmp02', 'Deployed')],
      boot_images: IMAGES,
    });
    expect(Date.parse(report!.taken)).toBeGreaterThanOrEqual(before - 1000);
    // After the heartbeat that checked the token's site.
    const paths = edge.requests.map((r) => r.path);
    expect(paths.indexOf('/heartbeat')).toBeLessThan(paths.indexOf('/inventory'));
  });

  it('posts a changed inventory, not an unchanged one, until the refresh time has passed', async () => {
    edge = await startEdge();
    temp = tempDir();
    let machines = [machine('east-cmp01')];
    let reads = 0;
    const drivers = siteDrivers({ listMachines: async () => (reads++, machines), bootImages: async () => IMAGES });
    running = await startAgent(edge.url, temp.dir, { drivers, timings: { ...FAST, inventoryMs: 20, inventoryRefreshMs: 60_000 } });
    await until(() => reads >= 5, 5000, 'reads');
    expect(edge.inventories).toHaveLength(1);
    machines = [machine('east-cmp01', 'Deployed')];
    await until(() => edge!.inventories.length === 2, 5000, 'the changed inventory');
    expect(inventories(edge)[1]!.machines).toEqual([machine('east-cmp01', 'Deployed')]);
    running.agent.stop();
    await running.done;

    // With a short refresh time, the same inventory is posted again.
    const again = await startEdge();
    running = await startAgent(again.url, temp.dir, { drivers, timings: { ...FAST, inventoryMs: 20, inventoryRefreshMs: 100 } });
    try {
      await until(() => again.inventories.length >= 3, 5000, 'refreshed inventories');
      expect(new Set(inventories(again).map((i) => JSON.stringify(i.machines))).size).toBe(1);
    } finally {
      running.agent.stop();
      await running.done;
      await again.stop();
    }
  });

  it('reads again soon after a node driver call finished, not only every interval', async () => {
    edge = await startEdge();
    temp = tempDir();
    let status = 'New';
    const drivers = siteDrivers({ listMachines: async () => [machine('east-cmp01', status)], bootImages: async () => IMAGES });
    running = await startAgent(edge.url, temp.dir, { drivers, timings: { ...FAST, inventoryMs: 3_600_000, inventorySettleMs: 10 } });
    await until(() => edge!.inventories.length === 1, 5000, 'the first inventory');
    status = 'Ready';
    const call = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    await until(() => edge!.calls.get(call.call_id)?.state === 'done', 5000, 'the result');
    // The interval is an hour: only the finished call can have made this reading.
    await until(() => edge!.inventories.length === 2, 5000, 'the inventory after the call');
    expect(inventories(edge)[1]!.machines).toEqual([machine('east-cmp01', 'Ready')]);
  });

  it('reads again after the driver failed to list, posting nothing meanwhile', async () => {
    edge = await startEdge();
    temp = tempDir();
    let failures = 2;
    const listMachines = async () => {
      if (failures-- > 0) throw new Error('MAAS answered 503');
      return [machine('east-cmp01')];
    };
    running = await startAgent(edge.url, temp.dir, { drivers: siteDrivers({ listMachines, bootImages: async () => IMAGES }), timings: { ...FAST, inventoryMs: 20 } });
    await until(() => edge!.inventories.length === 1, 5000, 'the inventory');
    expect(edge.recorded(/^\/inventory$/)).toHaveLength(1);
    expect(running.logs.filter((l) => l.includes('inventory not read from the node driver') && l.includes('MAAS answered 503'))).toHaveLength(2);
  });

  it('runs calls on against an edge without the inventory endpoint (404), not posting it again', async () => {
    edge = await startEdge();
    temp = tempDir();
    edge.faults.push({ path: /^\/inventory$/, status: 404, left: 1 });
    const call = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    running = await startAgent(edge.url, temp.dir, {
      drivers: siteDrivers({ listMachines: async () => [machine('east-cmp01')], bootImages: async () => IMAGES }),
      timings: { ...FAST, inventoryMs: 20 },
    });
    await until(() => call.state === 'done', 5000, 'the call');
    await pause(200);
    expect(edge.recorded(/^\/inventory$/).map((r) => r.status)).toEqual([404]);
    expect(running.logs.some((l) => l.includes('the edge takes no inventory'))).toBe(true);
  });

  it('stops, as on any other call, when the edge refuses the token for the inventory', async () => {
    edge = await startEdge();
    temp = tempDir();
    edge.faults.push({ path: /^\/inventory$/, status: 401, left: 1 });
    running = await startAgent(edge.url, temp.dir, { drivers: siteDrivers({ listMachines: async () => [], bootImages: async () => ({}) }) });
    expect(await running.done).toBeInstanceOf(TokenRefused);
  });
});
