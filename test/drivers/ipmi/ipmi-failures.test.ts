import { createSocket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.ts';
import { createDrivers } from '../../../src/drivers/index.ts';
import { createCommandRunner } from '../../../src/runtime/command-runner.ts';
import { driverProbes } from '../../../src/services/driver-probes.ts';
import { hasSiteTools } from '../../helpers/site-tools.ts';
import { contextFor, nodeOf, recordingRunner } from './context.ts';
import { startIpmiSim, type IpmiSim, type IpmiSimOptions } from './ipmi-sim.ts';

const running: IpmiSim[] = [];
afterAll(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

async function bmc(options: IpmiSimOptions = {}): Promise<IpmiSim> {
  const sim = await startIpmiSim(options);
  running.push(sim);
  return sim;
}

/** A UDP port on 127.0.0.1 nobody listens on: bound, noted, closed. */
async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const SECRET = 'never-show-this-9';

describe.skipIf(!hasSiteTools('ipmi'))('ipmi driver failures (ipmi_sim)', () => {
  it('names the node, the BMC and the refused login for a wrong credential, and never shows it', async () => {
    const sim = await bmc({ initialPower: 'off' });
    const node = nodeOf('n1', sim, { credential: SECRET });
    const runner = recordingRunner();
    const { driver, ctx, lines } = contextFor([node], {}, runner);
    const answer = await driver.run(ctx, 'power_on_node', node);
    expect(answer).toEqual({
      state: 'failed',
      reason: `node n1, BMC ipmi://127.0.0.1:${sim.port}: the BMC refused the login (wrong account or credential); ipmitool said: RAKP 2 HMAC is invalid; Error: Unable to establish IPMI v2 / RMCP+ session`,
    });
    expect(await sim.power()).toBe('off');
    expect(lines.join('\n')).toContain('the BMC refused the login');
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(runner.runs.every((r) => !r.args.join(' ').includes(SECRET))).toBe(true);
  });

  it('says the login was refused for an unknown account', async () => {
    const sim = await bmc();
    const node = nodeOf('n1', sim, { account: 'nobody' });
    const { driver, ctx } = contextFor([node]);
    expect(await driver.run(ctx, 'set_node_boot', node)).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('the BMC refused the login (wrong account or credential); ipmitool said: RAKP 2 message indicates an error : unauthorized name'),
    });
    expect(await sim.bootDevice()).toBe('none');
  });

  it('fails a power action whose state never shows after OOB_POWER_MAX_POLLS polls', async () => {
    const sim = await bmc({ initialPower: 'off', ignorePowerOn: true });
    const node = nodeOf('n1', sim);
    const { until } = contextFor([node], { OOB_POWER_MAX_POLLS: '4' });
    const { answer, calls } = await until('power_on_node', node);
    expect(answer).toEqual({
      state: 'failed',
      reason: `node n1, BMC ipmi://127.0.0.1:${sim.port}: the BMC did not report power On after 4 polls (about 200 ms; OOB_POWER_MAX_POLLS × OOB_POWER_POLL_MS); it last reported off`,
    });
    expect(calls).toBe(5); // the command, then 4 polls
    expect(await sim.power()).toBe('off');
  });
});

describe.skipIf(!hasSiteTools('ipmi'))('ipmi driver and an unreachable BMC', () => {
  it('fails within OOB_REQUEST_TIMEOUT_MS with ipmitool\'s own words when nothing answers', async () => {
    const port = await closedUdpPort();
    const node = nodeOf('n1', { port, account: 'admin', credential: SECRET });
    const { driver, ctx } = contextFor([node], { OOB_REQUEST_TIMEOUT_MS: '3000' });
    const started = Date.now();
    const answer = await driver.run(ctx, 'power_on_node', node);
    expect(Date.now() - started).toBeLessThan(3500);
    expect(answer).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(
        new RegExp(`^node n1, BMC ipmi://127\\.0\\.0\\.1:${port}: no IPMI session with the BMC: it did not answer over UDP .*ipmitool said: .*Get Auth Capabilities error`),
      ),
    });
  });

  it('kills ipmitool at OOB_REQUEST_TIMEOUT_MS when that is shorter than its own retries', async () => {
    const port = await closedUdpPort();
    const node = nodeOf('n1', { port, account: 'admin', credential: SECRET });
    const { driver, ctx } = contextFor([node], { OOB_REQUEST_TIMEOUT_MS: '700' });
    const started = Date.now();
    const answer = await driver.run(ctx, 'interrogate_oob', node);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(answer).toEqual({
      state: 'failed',
      reason:
        `node n1, BMC ipmi://127.0.0.1:${port}: ipmitool chassis power status got no complete answer from the BMC within 700 ms ` +
        '(OOB_REQUEST_TIMEOUT_MS); is the BMC on, at this address and port, and is UDP to it allowed?',
    });
  });
});

describe('ipmi driver without its tool or runner', () => {
  const node = nodeOf('n1', { port: 1623, account: 'admin', credential: SECRET });
  const missing = "ipmitool was not found (IPMITOOL_PATH=/nonexistent/ipmitool); install Debian's ipmitool package (apt-get install ipmitool) or set IPMITOOL_PATH to its full path";

  it('names IPMITOOL_PATH and the Debian package when ipmitool is missing: actions, validation and health', async () => {
    const { driver, ctx } = contextFor([node], { IPMITOOL_PATH: '/nonexistent/ipmitool' });
    expect(await driver.run(ctx, 'power_cycle_node', node)).toEqual({ state: 'failed', reason: `node n1, BMC ipmi://127.0.0.1:1623: ${missing}` });
    expect(await driver.run(ctx, 'validate_oob_services', null)).toEqual({ state: 'failed', reason: missing });
    await expect(driver.health(ctx)).rejects.toThrow(`ipmi OOB driver enabled, but ${missing}`);
  });

  it('answers every call with a clear failure where the runtime has no command runner (Workers)', async () => {
    const { driver, ctx } = contextFor([node], {}, null);
    const noRunner = /this runtime cannot run ipmitool \(no command runner: Workers has no processes and no UDP\); run this service on Node or Deno/;
    for (const action of ['power_on_node', 'power_off_node', 'power_cycle_node', 'set_node_boot', 'interrogate_oob'] as const) {
      const answer = await driver.run(ctx, action, node);
      expect(answer).toMatchObject({ state: 'failed', reason: expect.stringMatching(noRunner) });
      expect(answer.state === 'failed' && answer.reason.startsWith('node n1, BMC ipmi://127.0.0.1:1623: ')).toBe(true);
    }
    expect(await driver.run(ctx, 'validate_oob_services', null)).toMatchObject({ state: 'failed', reason: expect.stringMatching(noRunner) });
    await expect(driver.health(ctx)).rejects.toThrow(noRunner);
  });

  it('fails validation for ipmi nodes without an address or a login, naming each and never the credential', async () => {
    const noNetwork = nodeOf('n2', { port: 1623, account: 'admin', credential: SECRET }, { network: null });
    const noAccount = nodeOf('n3', { port: 1623, account: '', credential: SECRET });
    // Validation runs no ipmitool, it only checks that one is there: any program
    // does, so this runs on machines without ipmitool too.
    const { driver, ctx } = contextFor([node, noNetwork, noAccount], { IPMITOOL_PATH: process.execPath });
    const answer = await driver.run(ctx, 'validate_oob_services', null);
    expect(answer).toEqual({
      state: 'failed',
      reason: 'node n2: oob.network is not set, so the BMC has no address; node n3: oob.account is not set: the BMC needs an account to log in with',
    });
  });

  it('is built by createDrivers as `ipmi`, serving oob.type ipmi with the runtime\'s runner, and shows in /health/extended', async () => {
    const config = loadConfig({ OOB_DRIVER: 'ipmi,fake', IPMITOOL_PATH: '/nonexistent/ipmitool' });
    const drivers = createDrivers(config, { commandRunner: createCommandRunner() });
    expect(drivers.oob.map((d) => [d.name, d.oobTypes])).toEqual([
      ['ipmi', ['ipmi']],
      ['fake', ['redfish', 'libvirt', 'manual', 'fake']],
    ]);
    const { ctx } = contextFor([]);
    const probe = driverProbes(drivers, { ...ctx, config }).find((p) => p.name === 'oob driver ipmi');
    await expect(probe?.check()).rejects.toThrow(missing);
  });
});
