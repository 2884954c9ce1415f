// `npm run bench:maas-calls`: MAAS API calls per node for each MAAS driver
// action built so far (issue 12), counted on the MAAS simulator's request
// log (test/maas/), with BENCH_NODES machines (default 10). Polls are the
// simulator's clock: commissioning 3 ticks, deploying 4, one call per tick.
// Prints calls per node per action; asserts nothing.
import type { DriverAction } from '../src/drivers/actions.ts';
import { ipmiNode, maasContext } from '../test/drivers/maas/context.ts';
import { startMaasSimulator } from '../test/maas/simulator.ts';
import { positiveNumber } from './knobs.mjs';

const NODES = positiveNumber('BENCH_NODES', 10);
const sim = await startMaasSimulator({
  machines: Array.from({ length: NODES }, (_, i) => ({
    hostname: `enlisted-${i}`,
    mac: `52:54:00:00:10:${String(i).padStart(2, '0')}`,
    powerParameters: { power_address: `10.23.0.${100 + i}`, power_user: 'admin', power_pass: 'x' },
  })),
  timing: { commissionTicks: 3, deployTicks: 4, releaseTicks: 2 },
});
const nodes = Array.from({ length: NODES }, (_, i) =>
  ipmiNode(`node${String(i).padStart(2, '0')}`, `10.23.0.${100 + i}`, { ownerData: { role: 'compute' }, tags: ['compute'] }),
);
const { driver, ctx, until } = maasContext(sim, nodes);
const rows: Array<[string, number]> = [];
const measure = async (label: string, run: () => Promise<unknown>) => {
  const before = sim.requests.length;
  await run();
  rows.push([label, (sim.requests.length - before) / NODES]);
};
try {
  for (const action of ['identify_node', 'configure_hardware', 'interrogate_node', 'apply_node_platform'] as DriverAction[]) {
    await measure(action, async () => {
      for (const node of nodes) {
        const { answer } = await until(action, node);
        if (answer.state !== 'done') throw new Error(`${action} ${node.name}: ${JSON.stringify(answer)}`);
      }
    });
  }
  await measure('build data (commission)', async () => {
    for (const node of nodes) await driver.collectBuildData(ctx, node, 'commission');
  });
  await measure('boot action delivery + deploy_node', async () => {
    for (const node of nodes) {
      await driver.deliverBootActionContext!(ctx, node, { nodeKey: 'ab'.repeat(32), actions: [], packages: { curl: null } });
      const { answer } = await until('deploy_node', node);
      if (answer.state !== 'done') throw new Error(`deploy ${node.name}: ${JSON.stringify(answer)}`);
    }
  });
  console.log(`MAAS calls per node, ${NODES} nodes:`);
  for (const [label, perNode] of rows) console.log(`  ${label.padEnd(36)} ${perNode.toFixed(1)}`);
  console.log(`  ${'total'.padEnd(36)} ${rows.reduce((a, [, n]) => a + n, 0).toFixed(1)}`);
} finally {
  await sim.close();
}
