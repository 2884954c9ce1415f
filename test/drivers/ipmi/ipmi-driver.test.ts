import { afterAll, describe, expect, it } from 'vitest';
import { hasSiteTools } from '../../helpers/site-tools.ts';
import { contextFor, nodeOf, recordingRunner } from './context.ts';
import { startIpmiSim, type IpmiSim, type IpmiSimOptions } from './ipmi-sim.ts';

// The ipmi driver against OpenIPMI's ipmi_sim through the real ipmitool;
// every outcome is checked on the simulator's side (its chassis files and
// the requests it decoded), not only in the driver's answer.

const running: IpmiSim[] = [];
afterAll(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function bmc(options: IpmiSimOptions = {}): Promise<IpmiSim> {
  const sim = await startIpmiSim(options);
  running.push(sim);
  return sim;
}

const sets = async (sim: IpmiSim) => (await sim.chassisCalls()).filter((c) => c.startsWith('set power'));

describe.skipIf(!hasSiteTools('ipmi'))('ipmi driver power actions (ipmi_sim)', () => {
  // Drydock's PowerOnNode sends set_power('off') and then waits for on.
  it('powers a node on, polling until the chassis reports on (Drydock\'s PowerOnNode sends off)', async () => {
    const sim = await bmc({ initialPower: 'off', powerDelayMs: 300 });
    const node = nodeOf('n1', sim);
    const { until } = contextFor([node]);
    const { answer, calls } = await until('power_on_node', node);
    expect(answer).toEqual({ state: 'done', detail: 'the BMC reports on' });
    expect(calls).toBeGreaterThan(1);
    expect(await sim.power()).toBe('on');
    expect(await sets(sim)).toEqual(['set power 1']);
  });

  it('powers a node off, polling until the chassis reports off', async () => {
    const sim = await bmc({ initialPower: 'on', powerDelayMs: 300 });
    const node = nodeOf('n1', sim);
    const { until } = contextFor([node]);
    const { answer, calls } = await until('power_off_node', node);
    expect(answer).toMatchObject({ state: 'done' });
    expect(calls).toBeGreaterThan(1);
    expect(await sim.power()).toBe('off');
    expect(await sets(sim)).toEqual(['set power 0']);
  });

  it('power cycles: off, waits for off, then on, and waits for on', async () => {
    const sim = await bmc({ initialPower: 'on', powerDelayMs: 200 });
    const node = nodeOf('n1', sim);
    const { until } = contextFor([node]);
    const { answer } = await until('power_cycle_node', node);
    expect(answer).toEqual({ state: 'done', detail: 'power cycled; the BMC reports on' });
    expect(await sim.power()).toBe('on');
    expect(await sets(sim)).toEqual(['set power 0', 'set power 1']);
  });

  it('power cycles a node that is off by powering it on only', async () => {
    const sim = await bmc({ initialPower: 'off' });
    const node = nodeOf('n1', sim);
    const { until } = contextFor([node]);
    expect((await until('power_cycle_node', node)).answer).toMatchObject({ state: 'done' });
    expect(await sets(sim)).toEqual(['set power 1']);
  });

  it.each([
    ['power_on_node', 'on'],
    ['power_off_node', 'off'],
  ] as const)('answers %s done at once, sending nothing, when the chassis is already %s', async (action, state) => {
    const sim = await bmc({ initialPower: state });
    const node = nodeOf('n1', sim);
    const { driver, ctx } = contextFor([node]);
    expect(await driver.run(ctx, action, node)).toEqual({ state: 'done', detail: `already ${state}; nothing to do` });
    expect(await sets(sim)).toEqual([]);
  });
});

describe.skipIf(!hasSiteTools('ipmi'))('ipmi driver boot and interrogation (ipmi_sim)', () => {
  it('sets the next boot, once, to PXE: the BMC gets valid, not persistent, device PXE', async () => {
    const sim = await bmc();
    const node = nodeOf('n1', sim);
    const { driver, ctx } = contextFor([node]);
    const answer = await driver.run(ctx, 'set_node_boot', node);
    expect(answer).toEqual({ state: 'done', detail: 'the next boot, once, is from the network (read back: Force PXE, next boot only)' });
    expect(await sim.bootDevice()).toBe('pxe');
    expect(sim.bootFlags()).toEqual({ valid: true, persistent: false, device: 1 });
  });

  it('interrogates the power state, what the BMC says of itself and the FRU product data', async () => {
    const sim = await bmc({ initialPower: 'on' });
    const node = nodeOf('n1', sim);
    const { driver, ctx } = contextFor([node]);
    const answer = await driver.run(ctx, 'interrogate_oob', node);
    expect(answer).toEqual({
      state: 'done',
      detail:
        'IPMI interface interrogation yielded powerstate on; BMC Manufacturer Name MontaVista Software, Inc.; ' +
        'BMC Product Name Unknown (0xF02); BMC Firmware Revision 9.08; BMC IPMI Version 2.0; ' +
        'Product Manufacturer Acme Servers; Product Name EdgeBox 1U; Product Version R2; Product Serial SN-0042',
    });
  });

  it('interrogates a BMC without FRU data all the same', async () => {
    const sim = await bmc({ fru: null });
    const node = nodeOf('n1', sim);
    const { driver, ctx } = contextFor([node]);
    expect(await driver.run(ctx, 'interrogate_oob', node)).toMatchObject({
      state: 'done',
      detail: expect.stringMatching(/^IPMI interface interrogation yielded powerstate off; .*no FRU data/),
    });
  });

  it('passes the credential in the environment only, with the port, account and cipher suite on argv', async () => {
    const sim = await bmc();
    const node = nodeOf('n1', sim);
    const runner = recordingRunner();
    const { driver, ctx } = contextFor([node], {}, runner);
    await driver.run(ctx, 'interrogate_oob', node);
    expect(runner.runs.length).toBeGreaterThan(0);
    for (const run of runner.runs) {
      expect(run.file).toBe('ipmitool');
      expect(run.args.slice(0, 15)).toEqual(['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(sim.port), '-U', 'admin', '-E', '-C', '3', '-N', '1', '-R', '1']);
      expect(run.args.join(' ')).not.toContain(sim.credential);
      expect(run.env).toEqual({ IPMI_PASSWORD: sim.credential });
    }
  });

  it('validates the site: ipmitool present, each ipmi node with an address and a login', async () => {
    const sim = await bmc();
    const good = nodeOf('n1', sim);
    const { driver, ctx } = contextFor([good]);
    expect(await driver.run(ctx, 'validate_oob_services', null)).toEqual({
      state: 'done',
      detail: expect.stringMatching(/^ipmitool at \/.*ipmitool; every ipmi node has a BMC address and a login$/),
    });
    expect(await driver.health(ctx)).toMatch(/^ipmi OOB driver enabled: ipmitool at \/.*ipmitool/);
  });
});
