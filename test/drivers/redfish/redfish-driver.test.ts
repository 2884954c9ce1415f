import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, contextFor, CREDENTIAL, nodeOf } from './context.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from './emulator.ts';
import { selfSignedCert, type TestCert } from './tls-cert.ts';

let cert: TestCert;
const running: Emulator[] = [];

beforeAll(() => {
  cert = selfSignedCert();
});
afterAll(() => cert.remove());
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function bmc(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await startEmulator({ tls: { key: cert.key, cert: cert.cert }, ...options });
  running.push(e);
  return e;
}

const trusted = () => ({ REDFISH_CA_FILE: cert.certFile });

describe('set_node_boot', () => {
  it('logs in with a session over TLS, sets the next boot to PXE once, reads it back and logs out', async () => {
    const e = await bmc();
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    const answer = await driver.run(ctx, 'set_node_boot', node);
    expect(answer).toMatchObject({ state: 'done' });
    expect(e.systems[0]!.boot).toEqual({ BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'Pxe' });
    expect(e.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Sessions'))).toHaveLength(1);
    expect(e.requests.filter((r) => r.path.startsWith('/redfish/v1/Systems')).every((r) => r.auth === 'token')).toBe(true);
    expect(e.requests.at(-1)).toMatchObject({ method: 'DELETE' });
    expect(e.sessions.size).toBe(0);
  });

  // Drydock's set_bootdev raises unless the PATCH answers exactly 200; DSP0266 also allows 202 and 204.
  it.each([200, 202, 204] as const)('accepts a boot override PATCH answered %i (Drydock: 200 only)', async (patchStatus) => {
    const e = await bmc({ patchStatus });
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    expect(await driver.run(ctx, 'set_node_boot', node)).toMatchObject({ state: 'done' });
    expect(e.systems[0]!.boot.BootSourceOverrideEnabled).toBe('Once');
  });

  it('answers at once, without a PATCH, when the next boot is already PXE once', async () => {
    const e = await bmc();
    e.systems[0]!.boot = { BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'Pxe' };
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    expect(await driver.run(ctx, 'set_node_boot', node)).toMatchObject({ state: 'done', detail: expect.stringContaining('already') });
    expect(e.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  // Drydock's SetNodeBoot compares only BootSourceOverrideTarget with Pxe, so
  // an override already used up (Enabled back to Disabled) is taken as set.
  it('sets the override again when the target is Pxe but the override is Disabled (Drydock skips it)', async () => {
    const e = await bmc();
    e.systems[0]!.boot = { BootSourceOverrideEnabled: 'Disabled', BootSourceOverrideTarget: 'Pxe' };
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    expect(await driver.run(ctx, 'set_node_boot', node)).toMatchObject({ state: 'done' });
    expect(e.requests.some((r) => r.method === 'PATCH')).toBe(true);
    expect(e.systems[0]!.boot.BootSourceOverrideEnabled).toBe('Once');
  });

  it('after a 202, reads the override again at each poll until it shows', async () => {
    const e = await bmc({ patchStatus: 202, bootApplyDelayMs: 200 });
    const node = nodeOf('n1', e);
    const { until } = await contextFor([node], trusted());
    const { answer, calls } = await until('set_node_boot', node);
    expect(answer).toMatchObject({ state: 'done' });
    expect(calls).toBeGreaterThan(1);
    expect(e.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('fails when the BMC accepts the override but does not keep it (read back)', async () => {
    const e = await bmc({ dropBootOverride: true });
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    const answer = await driver.run(ctx, 'set_node_boot', node);
    expect(answer).toMatchObject({ state: 'failed' });
    expect(answer.state === 'failed' && answer.reason).toContain(`node n1, BMC ${e.url}: the BMC accepted the boot override (HTTP 200) but reads back BootSourceOverrideEnabled Disabled`);
  });

  it('uses HTTP Basic on a BMC without a SessionService', async () => {
    const e = await bmc({ auth: 'basic' });
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    expect(await driver.run(ctx, 'set_node_boot', node)).toMatchObject({ state: 'done' });
    expect(e.requests.some((r) => r.path.includes('Sessions'))).toBe(false);
    expect(e.requests.filter((r) => r.path.startsWith('/redfish/v1/Systems')).every((r) => r.auth === 'basic')).toBe(true);
  });

  it('fails clearly on a BMC with several systems, naming them', async () => {
    const e = await bmc({ systems: 2 });
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    const answer = await driver.run(ctx, 'set_node_boot', node);
    expect(answer).toEqual({
      state: 'failed',
      reason: `node n1, BMC ${e.url}: the BMC lists 2 systems (/redfish/v1/Systems/System1, /redfish/v1/Systems/System2); a node is one machine, so its BMC must manage exactly one`,
    });
    expect(e.systems.every((s) => s.boot.BootSourceOverrideEnabled === 'Disabled')).toBe(true);
    expect(e.sessions.size).toBe(0);
  });
});

describe('power actions', () => {
  // Drydock's PowerOnNode and PowerOffNode call exec_redfish_command(n,
  // RedfishSession.get_power) without the session: a TypeError before the
  // BMC is asked anything, so those actions never worked.
  it('powers on a node that is off and polls until the BMC reports On (Drydock: a TypeError)', async () => {
    const e = await bmc({ power: 'Off', powerDelayMs: 300 });
    const node = nodeOf('n1', e);
    const { until } = await contextFor([node], trusted());
    const { answer, calls } = await until('power_on_node', node);
    expect(answer).toMatchObject({ state: 'done', detail: 'the BMC reports On' });
    expect(calls).toBeGreaterThan(1);
    expect(e.systems[0]!.power).toBe('On');
    expect(e.systems[0]!.resets).toEqual(['On']);
    expect(e.sessions.size).toBe(0);
  });

  it('powers off a node that is on (Drydock: a TypeError)', async () => {
    const e = await bmc({ power: 'On', powerDelayMs: 200 });
    const node = nodeOf('n1', e);
    const { until } = await contextFor([node], trusted());
    expect((await until('power_off_node', node)).answer).toMatchObject({ state: 'done' });
    expect(e.systems[0]!.power).toBe('Off');
    expect(e.systems[0]!.resets).toEqual(['ForceOff']);
  });

  it('answers at once, sending nothing, for a node already in the target state', async () => {
    const e = await bmc({ power: 'On' });
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    expect(await driver.run(ctx, 'power_on_node', node)).toEqual({ state: 'done', detail: 'already On; nothing to do' });
    e.systems[0]!.power = 'Off';
    expect(await driver.run(ctx, 'power_off_node', node)).toEqual({ state: 'done', detail: 'already Off; nothing to do' });
    expect(e.systems[0]!.resets).toEqual([]);
  });

  it('power cycles: off, then on, each awaited', async () => {
    const e = await bmc({ power: 'On', powerDelayMs: 150 });
    const node = nodeOf('n1', e);
    const { until } = await contextFor([node], trusted());
    expect((await until('power_cycle_node', node)).answer).toMatchObject({ state: 'done', detail: 'power cycled; the BMC reports On' });
    expect(e.systems[0]!.resets).toEqual(['ForceOff', 'On']);
    expect(e.systems[0]!.power).toBe('On');
  });

  it('uses the reset types the system allows (ForceOn when On is not among them)', async () => {
    const e = await bmc({ power: 'Off', resetTypes: ['ForceOn', 'ForceOff', 'ForceRestart'] });
    const node = nodeOf('n1', e);
    const { until } = await contextFor([node], trusted());
    expect((await until('power_on_node', node)).answer).toMatchObject({ state: 'done' });
    expect(e.systems[0]!.resets).toEqual(['ForceOn']);
  });

  it('fails, naming what the BMC allows, when no allowed reset type powers on', async () => {
    const e = await bmc({ power: 'Off', resetTypes: ['ForceOff', 'Nmi'] });
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    expect(await driver.run(ctx, 'power_on_node', node)).toEqual({
      state: 'failed',
      reason: `node n1, BMC ${e.url}: the BMC allows reset types ForceOff, Nmi, none of which powers on (On, ForceOn, PushPowerButton)`,
    });
  });

  it('gives up with a timeout message when the BMC never reaches the state', async () => {
    const e = await bmc({ power: 'Off', powerDelayMs: Number.POSITIVE_INFINITY });
    const node = nodeOf('n1', e);
    const { until } = await contextFor([node], { ...trusted(), OOB_POWER_MAX_POLLS: '3' });
    const { answer, calls } = await until('power_on_node', node);
    expect(calls).toBe(4);
    expect(answer).toEqual({
      state: 'failed',
      reason: `node n1, BMC ${e.url}: the BMC did not report power On after 3 polls (about 150 ms; OOB_POWER_MAX_POLLS × OOB_POWER_POLL_MS); it last reported PoweringOn`,
    });
    expect(e.sessions.size).toBe(0);
  });
});

describe('interrogate_oob', () => {
  it('reports the power state and what the BMC says about the system', async () => {
    const e = await bmc({ power: 'On' });
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node], trusted());
    const answer = await driver.run(ctx, 'interrogate_oob', node);
    expect(answer).toEqual({
      state: 'done',
      detail:
        'Redfish interface interrogation yielded powerstate On; Manufacturer Drydock Edge Test; Model Emulated BMC; SerialNumber SN-System1; ' +
        'BiosVersion 1.0.0; memory 64 GiB; processors 2; health OK; boot override Disabled/None',
    });
  });
});

describe('bad input', () => {
  it('names a 401 and never echoes the credential, even when the BMC does', async () => {
    const e = await bmc({ echoRefusedLogin: true });
    const wrong = 'not-the-password-42';
    const node = nodeOf('n1', e, { credential: wrong });
    const { driver, ctx, lines } = await contextFor([node], trusted());
    const answer = await driver.run(ctx, 'power_on_node', node);
    expect(answer.state).toBe('failed');
    const reason = answer.state === 'failed' ? answer.reason : '';
    expect(reason).toContain(`node n1, BMC ${e.url}: the BMC refused the login of account ${ACCOUNT} (HTTP 401: `);
    expect(reason).toContain('check oob.account and oob.credential');
    expect(reason).toContain('[credential hidden]'); // the BMC's echo, masked
    expect(reason).not.toContain(wrong);
    expect(lines.join('\n')).not.toContain(wrong);
    expect(lines.join('\n')).not.toContain(CREDENTIAL);
  });

  it('fails within the request timeout on a BMC that accepts connections and never answers', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    try {
      const node = nodeOf('n1', { port, url: `https://127.0.0.1:${port}` });
      const { driver, ctx } = await contextFor([node], { ...trusted(), OOB_REQUEST_TIMEOUT_MS: '300' });
      const started = Date.now();
      const answer = await driver.run(ctx, 'power_on_node', node);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(answer).toEqual({
        state: 'failed',
        reason: `node n1, BMC https://127.0.0.1:${port}: no answer within 300 ms (OOB_REQUEST_TIMEOUT_MS): the BMC is unreachable or too slow`,
      });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('fails at once, naming the refusal, on a port where no BMC listens', async () => {
    const e = await bmc();
    const gone = { port: e.port, url: e.url };
    await e.close();
    running.splice(running.indexOf(e), 1);
    const node = nodeOf('n1', gone);
    const { driver, ctx } = await contextFor([node], trusted());
    const answer = await driver.run(ctx, 'power_on_node', node);
    expect(answer).toMatchObject({ state: 'failed', reason: expect.stringContaining(`node n1, BMC ${gone.url}: could not connect (ECONNREFUSED`) });
  });

  it('refuses a self-signed certificate not in REDFISH_CA_FILE, naming both settings', async () => {
    const e = await bmc();
    const node = nodeOf('n1', e);
    const { driver, ctx } = await contextFor([node]);
    const answer = await driver.run(ctx, 'set_node_boot', node);
    expect(answer).toMatchObject({ state: 'failed', reason: expect.stringContaining(`node n1, BMC ${e.url}: its TLS certificate is not trusted (`) });
    expect(answer.state === 'failed' && answer.reason).toContain('REDFISH_CA_FILE');
    expect(e.systems[0]!.boot.BootSourceOverrideEnabled).toBe('Disabled');
  });

  it('accepts any certificate with REDFISH_VERIFY_TLS=false, with a warning', async () => {
    const e = await bmc();
    const node = nodeOf('n1', e);
    const { driver, ctx, lines } = await contextFor([node], { REDFISH_VERIFY_TLS: 'false' });
    expect(await driver.run(ctx, 'set_node_boot', node)).toMatchObject({ state: 'done' });
    expect(lines.join('\n')).toContain('REDFISH_VERIFY_TLS=false: BMC certificates are not checked');
  });

  it('talks plain HTTP with oob.use_ssl false', async () => {
    const e = await startEmulator({ tls: null });
    running.push(e);
    const node = nodeOf('n1', e, { use_ssl: false });
    const { driver, ctx } = await contextFor([node]);
    expect(await driver.run(ctx, 'set_node_boot', node)).toMatchObject({ state: 'done' });
  });

  it('names the node and the missing piece when a node has no BMC address or login', async () => {
    const e = await bmc();
    const noAddress = { ...nodeOf('n1', e), addressing: [] };
    const noAccount = nodeOf('n2', e, { account: null });
    const badPort = nodeOf('n3', e, { port: 'eighty' });
    const { driver, ctx } = await contextFor([noAddress, noAccount, badPort], trusted());
    expect(await driver.run(ctx, 'power_on_node', noAddress)).toEqual({
      state: 'failed',
      reason: 'node n1: the node has no static address on its oob network oob, so the BMC has no address',
    });
    expect(await driver.run(ctx, 'validate_oob_services', null)).toEqual({
      state: 'failed',
      reason:
        'node n1: the node has no static address on its oob network oob, so the BMC has no address; ' +
        'node n2: oob.account is not set: the BMC needs an account to log in with; ' +
        'node n3: oob.port "eighty" is not a port number (1-65535)',
    });
    expect(e.requests).toEqual([]);
  });
});
