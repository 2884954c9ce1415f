import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_KEY_PATH } from '../../../src/drivers/maas/user-data.ts';
import { startMaasSimulator, type MaasSimulator } from '../../maas/simulator.ts';
import { NODE_STATUS } from '../../maas/status.ts';
import { ipmiNode, maasContext } from './context.ts';

// The MAAS node driver against the MAAS simulator (test/maas/, written from
// MAAS's handlers): what it asks for, and what MAAS ends up holding.

let sim: MaasSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const KEY = 'cd'.repeat(32);

async function lab(status: number = NODE_STATUS.NEW) {
  sim = await startMaasSimulator({
    machines: [{ hostname: 'maas-enlisted-1', mac: '52:54:00:00:00:01', status, powerParameters: { power_address: '10.23.0.21', power_user: 'admin', power_pass: 'bmc-pass' } }],
    timing: { commissionTicks: 3, deployTicks: 4, releaseTicks: 2 },
  });
  const node = ipmiNode('east-cmp01', '10.23.0.21', { ownerData: { role: 'compute' } });
  return { sim, node, ...maasContext(sim, [node]) };
}

describe('MAAS node driver', () => {
  it('validates MAAS: version, key, boot resources and a healthy rack controller', async () => {
    const { driver, ctx } = await lab();
    const answer = await driver.run(ctx, 'validate_node_services', null);
    expect(answer).toMatchObject({ state: 'done', detail: expect.stringMatching(/^MAAS 3\.5\.0.* answers, accepts the API key/) });
  });

  it('lists the Ubuntu images and their kernels from one read of boot-resources (Drydock: one read per image, and a None image for bootloaders)', async () => {
    const { sim: s, driver, ctx } = await lab();
    s.state.bootResources = [
      { name: 'ubuntu/xenial', architecture: 'amd64/ga-16.04' },
      { name: 'ubuntu/xenial', architecture: 'amd64/hwe-16.04' },
      { name: 'ubuntu/jammy', architecture: 'amd64/ga-22.04' },
      { name: 'grub-efi-signed/uefi', architecture: 'amd64/generic', type: 'Synced' },
    ];
    expect(await driver.bootImages(ctx)).toEqual({ xenial: ['ga-16.04', 'hwe-16.04'], jammy: ['ga-22.04'] });
    expect(s.calls({ method: 'GET', path: /boot-resources/ })).toHaveLength(1);
  });

  it('names MAAS_API_KEY on a wrong key, and no part of either key is in the message or the log', async () => {
    const { sim: s, node } = await lab();
    const wrong = maasContext({ ...s, apiKey: 'WrongConsumer:WrongToken:WrongSecret' }, [node]);
    const answer = await wrong.driver.run(wrong.ctx, 'validate_node_services', null);
    expect(answer).toMatchObject({ state: 'failed', reason: expect.stringContaining('MAAS refused the API key (HTTP 401') });
    const text = JSON.stringify(answer) + wrong.lines.join('\n');
    for (const part of ['WrongConsumer', 'WrongToken', 'WrongSecret', ...s.apiKey.split(':')]) expect(text).not.toContain(part);
  });

  it('identifies the machine by its BMC address (one power_parameters call) and gives it the node name, sending no domain the node lacks (Drydock: local, refused by MAAS)', async () => {
    const { sim: s, driver, ctx, node } = await lab();
    expect(await driver.run(ctx, 'identify_node', node)).toMatchObject({ state: 'done' });
    expect(s.machines.map((m) => m.hostname)).toEqual(['east-cmp01']);
    expect(s.calls({ method: 'GET', op: 'power_parameters' })).toHaveLength(1);
  });

  it('with use_node_oob_params, gives the machine the design\'s BMC login, logging no password', async () => {
    const { sim: s } = await lab();
    const node = ipmiNode('east-cmp01', '10.23.0.21', { oob: { type: 'ipmi', network: 'oob', account: 'ops', credential: 'n3w-bmc-pass', params: {} } });
    const own = maasContext(s, [node], { useNodeOobParams: true });
    expect(await own.driver.run(own.ctx, 'identify_node', node)).toMatchObject({ state: 'done' });
    const machine = s.machine('east-cmp01');
    expect(machine.powerType).toBe('ipmi');
    expect(machine.powerParameters).toMatchObject({ power_address: '10.23.0.21', power_user: 'ops', power_pass: 'n3w-bmc-pass' });
    expect(own.lines.join('\n')).not.toContain('n3w-bmc-pass');
  });

  it('fails a node MAAS has neither as a machine nor as a rack controller, saying how it looked', async () => {
    const { sim: s, driver, ctx } = await lab();
    const stranger = ipmiNode('east-cmp09', '10.23.0.99');
    expect(await driver.run(ctx, 'identify_node', stranger)).toEqual({ state: 'failed', reason: 'node east-cmp09 was not found in MAAS (by BMC address)' });
    expect(s.calls({ method: 'GET', op: 'power_parameters' }).map((c) => c.path)).toEqual(['/MAAS/api/2.0/machines/', '/MAAS/api/2.0/rackcontrollers/']);
  });

  it('commissions a New machine, polling once per call until Ready', async () => {
    const { sim: s, until, node, driver, ctx } = await lab();
    await driver.run(ctx, 'identify_node', node);
    const { answer, calls } = await until('configure_hardware', node);
    expect(answer).toMatchObject({ state: 'done', detail: expect.stringContaining('commissioned') });
    expect(calls).toBeGreaterThan(1);
    expect(s.machine('east-cmp01').status).toBe(NODE_STATUS.READY);
    expect(s.calls({ method: 'POST', op: 'commission' })).toHaveLength(1);
  });

  it('fails a node whose commissioning fails, naming MAAS status', async () => {
    const { sim: s, until, node, driver, ctx } = await lab();
    await driver.run(ctx, 'identify_node', node);
    s.failCommissioning('east-cmp01');
    const { answer } = await until('configure_hardware', node);
    expect(answer).toEqual({ state: 'failed', reason: 'node east-cmp01 failed commissioning in MAAS: Failed commissioning' });
  });

  it('fails a machine that stays in Commissioning past MAAS_COMMISSION_TIMEOUT_MINUTES, having polled it', async () => {
    const { sim: s, node } = await lab();
    const slow = maasContext(s, [node], { commission: { pollMs: 10_000, timeoutMs: 60_000, skipBmcConfig: false } });
    await slow.driver.run(slow.ctx, 'identify_node', node);
    s.stallCommissioning('east-cmp01');
    const { answer, calls } = await slow.until('configure_hardware', node);
    expect(answer).toEqual({ state: 'failed', reason: 'node east-cmp01 still Commissioning in MAAS after 1 min (MAAS_COMMISSION_TIMEOUT_MINUTES)' });
    // One call per poll interval until the minute was up: the start, then 6 polls.
    expect(calls).toBe(7);
    expect(s.machine('east-cmp01').status).toBe(NODE_STATUS.COMMISSIONING);
  });

  it('applies the kernel parameters as the node\'s own tag and its static tags, two nodes creating a shared tag side by side', async () => {
    sim = await startMaasSimulator({
      machines: [1, 2].map((i) => ({ hostname: `m${i}`, mac: `52:54:00:00:00:0${i}`, status: NODE_STATUS.READY, powerParameters: { power_address: `10.23.0.2${i}` } })),
    });
    const nodes = [1, 2].map((i) =>
      ipmiNode(`east-cmp0${i}`, `10.23.0.2${i}`, { tags: ['compute'], platform: { image: 'xenial', kernel: 'ga-16.04', kernelParams: { console: 'ttyS1,115200n8', quiet: true } } }),
    );
    const { driver, ctx } = maasContext(sim, nodes);
    for (const n of nodes) await driver.run(ctx, 'identify_node', n);
    const answers = await Promise.all(nodes.map((n) => driver.run(ctx, 'apply_node_platform', n)));
    expect(answers.map((a) => a.state)).toEqual(['done', 'done']);
    for (const n of nodes) {
      const tags = sim.state.tagNamesOf(sim.machine(n.name));
      expect(tags.sort()).toEqual(['compute', `${n.name}_kp`]);
      expect(sim.state.tags.find((t) => t.name === `${n.name}_kp`)?.kernelOpts).toBe('console=ttyS1,115200n8 quiet');
    }
    expect(sim.state.tags.filter((t) => t.name === 'compute')).toHaveLength(1);
  });

  it('deploys with the boot action key as a tag and a 0600 file, base64 once, and polls to Deployed', async () => {
    const { sim: s, until, node, driver, ctx } = await lab(NODE_STATUS.READY);
    await driver.run(ctx, 'identify_node', node);
    await driver.deliverBootActionContext!(ctx, node, { nodeKey: KEY, actions: [], packages: { curl: null } });
    const machine = s.machine('east-cmp01');
    expect(machine.ownerData).toEqual({ role: 'compute' });
    const cloudConfig = parse(new TextDecoder().decode(Uint8Array.from(atob(machine.userData!), (c) => c.charCodeAt(0))));
    expect(cloudConfig).toEqual({ packages: ['curl'], write_files: [{ path: NODE_KEY_PATH, permissions: '0600', owner: 'root:root', content: `${KEY}\n` }] });
    expect(s.state.tags.filter((t) => t.systemIds.has(machine.systemId)).map((t) => t.name)).toContain(`east-cmp01__baid__${KEY}`);
    const { answer } = await until('deploy_node', node);
    expect(answer).toMatchObject({ state: 'done' });
    expect(s.machine('east-cmp01').status).toBe(NODE_STATUS.DEPLOYED);
    expect(s.calls({ method: 'POST', op: 'set_workload_annotations' })).toHaveLength(1);
  });

  it('takes any 2xx from set_workload_annotations (MAAS documents 204; Drydock accepts only 200 and fails the deploy)', async () => {
    const { sim: s, until, node, driver, ctx } = await lab(NODE_STATUS.READY);
    s.state.annotationsNoContent = true;
    await driver.run(ctx, 'identify_node', node);
    await driver.deliverBootActionContext!(ctx, node, { nodeKey: KEY, actions: [], packages: {} });
    expect(s.machine('east-cmp01').ownerData).toEqual({ role: 'compute' });
    expect((await until('deploy_node', node)).answer).toMatchObject({ state: 'done' });
  });

  it('fails a node whose deploy fails (MAAS says "Failed deployment"; Drydock looks for "Failed Dep" and never matches)', async () => {
    const { sim: s, until, node, driver, ctx } = await lab(NODE_STATUS.READY);
    await driver.run(ctx, 'identify_node', node);
    s.failDeploy('east-cmp01');
    const { answer } = await until('deploy_node', node);
    expect(answer).toEqual({ state: 'failed', reason: 'node east-cmp01 failed to deploy in MAAS: Failed deployment' });
  });

  it('lists machines for GET /nodes in two calls, whatever their number', async () => {
    const { sim: s, driver, ctx } = await lab();
    for (let i = 2; i <= 5; i++) s.addMachine({ hostname: `m${i}`, mac: `52:54:00:00:00:0${i}` });
    const before = s.requests.length;
    const machines = await driver.listMachines(ctx);
    expect(machines).toHaveLength(5);
    expect(machines[0]).toMatchObject({ hostname: 'maas-enlisted-1', boot_mac: '52:54:00:00:00:01', power_address: '10.23.0.21', status_name: 'New' });
    expect(s.requests.length - before).toBe(2);
  });

  it('keeps going through a burst of 503 answers', async () => {
    const { sim: s, driver, ctx, node } = await lab();
    s.failNext(2);
    expect(await driver.run(ctx, 'identify_node', node)).toMatchObject({ state: 'done' });
  });

  it('releases with a quick erase, then deletes the machine', async () => {
    const { sim: s, until, node, driver, ctx } = await lab(NODE_STATUS.READY);
    await driver.run(ctx, 'identify_node', node);
    await until('deploy_node', node);
    const { answer } = await until('destroy_node', node);
    expect(answer).toMatchObject({ state: 'done', detail: expect.stringContaining('deleted from MAAS') });
    expect(s.machines).toHaveLength(0);
    const release = s.calls({ method: 'POST', op: 'release' });
    expect(release).toHaveLength(1);
  });

  it('saves build data after commissioning: lshw and the script results', async () => {
    const { until, node, driver, ctx } = await lab();
    await driver.run(ctx, 'identify_node', node);
    await until('configure_hardware', node);
    const records = await driver.collectBuildData(ctx, node, 'commission');
    expect(records.map((r) => r.generator)).toEqual(expect.arrayContaining(['lshw']));
    expect(records.some((r) => r.generator.startsWith('commission:'))).toBe(true);
  });
});
