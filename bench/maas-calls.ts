// `npm run bench:maas-calls`: MAAS API calls per node for prepare_nodes +
// deploy_nodes of the repository's example site (test/fixtures/designs/
// site.yaml: a pxe NIC, an LACP bond with a VLAN, three partitions, a volume
// group with two logical volumes, two tags, kernel parameters), counted on
// the MAAS simulator's request log (test/maas/). Commissioning and deploying
// take 3 and 4 simulator ticks, one poll per tick. Prints calls per node per
// step, and Drydock's count for the same node (read from its source:
// bench/README.md); asserts nothing.
import { readFile } from 'node:fs/promises';
import { compileSite } from '../src/design/compile/index.ts';
import { parseDesign } from '../src/design/parse/documents.ts';
import type { DriverAction } from '../src/drivers/actions.ts';
import { maasContext } from '../test/drivers/maas/context.ts';
import { EXAMPLE_BOOT_RESOURCES, EXAMPLE_RACK_INTERFACES, exampleSiteMachines } from '../test/maas/example-site.ts';
import { startMaasSimulator } from '../test/maas/simulator.ts';

// Drydock's calls for the same node, steps as below (bench/README.md has the derivation).
const DRYDOCK: Record<string, number> = {
  identify_node: 13,
  'configure_hardware (3 polls)': 32,
  'build data': 3,
  apply_node_networking: 60,
  apply_node_storage: 56,
  apply_node_platform: 21,
  'deploy_node (4 polls)': 66,
};

const text = await readFile(new URL('../test/fixtures/designs/site.yaml', import.meta.url), 'utf8');
const { site } = compileSite(parseDesign(text).documents);
const nodes = [...site.nodes.values()];
const sim = await startMaasSimulator({
  machines: exampleSiteMachines(nodes.length),
  rackInterfaces: EXAMPLE_RACK_INTERFACES,
  bootResources: EXAMPLE_BOOT_RESOURCES,
  timing: { commissionTicks: 3, deployTicks: 4, releaseTicks: 2 },
});
const { driver, ctx, until } = maasContext(sim, nodes);
ctx.site = site;
const rows: Array<[string, number]> = [];
const measure = async (label: string, run: () => Promise<unknown>, per = nodes.length) => {
  const before = sim.requests.length;
  await run();
  rows.push([label, (sim.requests.length - before) / per]);
};
const settle = async (action: DriverAction, node: (typeof nodes)[number] | null) => {
  const { answer } = await until(action, node);
  if (answer.state !== 'done') throw new Error(`${action} ${node?.name ?? 'site'}: ${JSON.stringify(answer)}`);
};
try {
  const siteWide = ['create_network_template', 'configure_user_credentials', 'configure_node_provisioner'] as DriverAction[];
  await measure('prepare_site (whole site)', async () => {
    for (const action of siteWide) await settle(action, null);
  }, 1);
  const prepareSite = rows.pop()!;
  const steps: Array<[string, DriverAction]> = [
    ['identify_node', 'identify_node'],
    ['configure_hardware (3 polls)', 'configure_hardware'],
    ['interrogate_node', 'interrogate_node'],
  ];
  for (const [label, action] of steps) await measure(label, async () => { for (const n of nodes) await settle(action, n); });
  await measure('build data', async () => { for (const n of nodes) await driver.collectBuildData(ctx, n, 'commission'); });
  for (const action of ['apply_node_networking', 'apply_node_storage', 'apply_node_platform'] as DriverAction[]) {
    await measure(action, async () => { for (const n of nodes) await settle(action, n); });
  }
  await measure('deploy_node (4 polls)', async () => {
    for (const n of nodes) {
      await driver.deliverBootActionContext!(ctx, n, { nodeKey: 'ab'.repeat(32), actions: [], packages: { curl: null } });
      await settle('deploy_node', n);
    }
  });
  await measure('validate_design (boot images)', async () => { await driver.bootImages(ctx); }, 1);
  const validation = rows.pop()!;
  console.log(`MAAS calls per node, the example site's ${nodes.length} nodes (ours | Drydock):`);
  let ours = 0;
  let theirs = 0;
  for (const [label, perNode] of rows) {
    ours += perNode;
    theirs += DRYDOCK[label] ?? 0;
    console.log(`  ${label.padEnd(32)} ${perNode.toFixed(1).padStart(6)} | ${String(DRYDOCK[label] ?? '-').padStart(4)}`);
  }
  console.log(`  ${'prepare_nodes + deploy_nodes'.padEnd(32)} ${ours.toFixed(1).padStart(6)} | ${String(theirs).padStart(4)}  (${(theirs / ours).toFixed(1)}x fewer)`);
  console.log(`  ${prepareSite[0].padEnd(32)} ${prepareSite[1].toFixed(1).padStart(6)}`);
  console.log(`  ${validation[0].padEnd(32)} ${validation[1].toFixed(1).padStart(6)} per validation, kept a minute | Drydock 3 per design load, 19 loads`);
} finally {
  await sim.close();
}
