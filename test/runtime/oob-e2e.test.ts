import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIpmiSim, type IpmiSim } from '../drivers/ipmi/ipmi-sim.ts';
import { startLibvirtTestDaemon, type LibvirtTestDaemon } from '../drivers/libvirt/libvirt-daemon.ts';
import { oobSiteDesign } from '../drivers/oob-design.ts';
import { startEmulator, type Emulator } from '../drivers/redfish/emulator.ts';
import { selfSignedCert, type TestCert } from '../drivers/redfish/tls-cert.ts';
import { e2eApi, tablesHolding, startTokenServer } from '../helpers/e2e-api.ts';
import { hasSiteTools } from '../helpers/site-tools.ts';
import { DENO_ENTRY, NODE_ENTRY, type Server } from '../helpers/spawn.ts';

// The end-to-end case with no fake OOB: one design whose nodes are
// powered by the three real OOB drivers against real or emulated peers:
// east-ctl01 a Redfish BMC (the emulator, over TLS with a certificate made
// for this run), east-cmp01 an IPMI BMC (OpenIPMI's ipmi_sim, through
// ipmitool), east-cmp02 a libvirt domain (libvirtd's test hypervisor,
// through virsh); `prepare_nodes` through the public API with the fake node
// driver for the MAAS side, on Node and on Deno. Every check of a machine's
// power and boot device reads the peer's side.

const REDFISH_CREDENTIAL = 'mixed-redfish-credential-2291';
const IPMI_CREDENTIAL = 'mixed-ipmi-cred-57';
const NODES = ['east-ctl01', 'east-cmp01', 'east-cmp02'];
const WAIT_MS = 60_000;
const RUNTIMES = [
  ['Node', NODE_ENTRY],
  ['Deno', DENO_ENTRY],
] as const;

const canRun = hasSiteTools('ipmi') && hasSiteTools('libvirt');

describe.skipIf(!canRun).each(RUNTIMES)('prepare_nodes with redfish, ipmi and libvirt nodes (%s)', (_runtime, entry) => {
  let dir: string;
  let cert: TestCert;
  let redfish: Emulator;
  let ipmi: IpmiSim;
  let libvirt: LibvirtTestDaemon;
  let server: Server | undefined;
  let token = '';

  beforeAll(async () => {
    cert = selfSignedCert();
    redfish = await startEmulator({ tls: { key: cert.key, cert: cert.cert }, credential: REDFISH_CREDENTIAL, power: 'On', auth: 'session' });
    ipmi = await startIpmiSim({ credential: IPMI_CREDENTIAL, initialPower: 'on', powerDelayMs: 300 });
    libvirt = await startLibvirtTestDaemon();
    await libvirt.defineDomain('east-cmp02', { boot: ['hd'], running: true });
    dir = await mkdtemp(join(tmpdir(), 'drydock-oob-e2e-'));
    await mkdir(join(dir, 'designs'));
    const design = await oobSiteDesign(
      new Map<string, Record<string, string | number>>([
        ['east-ctl01', { type: 'redfish', network: 'oob', account: 'admin', credential: REDFISH_CREDENTIAL, port: redfish.port }],
        ['east-cmp01', { type: 'ipmi', network: 'oob', account: ipmi.account, credential: IPMI_CREDENTIAL, port: ipmi.port }],
        ['east-cmp02', { type: 'libvirt', libvirt_uri: libvirt.uri }],
      ]),
    );
    await writeFile(join(dir, 'designs', 'site.yaml'), design);
    ({ server, token } = await startTokenServer(entry, dir, {
      OOB_DRIVER: 'redfish,ipmi,libvirt',
      REDFISH_CA_FILE: cert.certFile,
      OOB_POWER_POLL_MS: '100',
      FAKE_LAB_STEP_MS: '50',
      TASK_POLL_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'debug',
    }));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await Promise.all([redfish?.close(), ipmi?.stop(), libvirt?.stop()]);
    cert?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const { api, runTask } = e2eApi(() => server!, () => token, WAIT_MS);

  it('says in /health/extended that each OOB driver is enabled and its tool is present', async () => {
    const body = (await (await api('/health/extended')).json()) as { details: { messageList: Array<{ name: string; error: boolean; message: string }> } };
    const oob = body.details.messageList.filter((m) => m.name.startsWith('oob driver '));
    expect(oob.map((m) => [m.name, m.error])).toEqual([
      ['oob driver redfish', false],
      ['oob driver ipmi', false],
      ['oob driver libvirt', false],
    ]);
    expect(oob.find((m) => m.name === 'oob driver ipmi')!.message).toMatch(/ipmitool/);
    expect(oob.find((m) => m.name === 'oob driver libvirt')!.message).toMatch(/virsh/);
  });

  it('leaves every machine powered on, set to boot from the network, as each peer reports', async () => {
    const task = await runTask('prepare_nodes', `file://${join(dir, 'designs', 'site.yaml')}`);
    expect(task.result.status, server!.output()).toBe('success');
    expect([...task.result.successes].sort()).toEqual([...NODES].sort());

    const system = redfish.systems[0]!;
    expect(system.power).toBe('On');
    expect(system.boot).toEqual({ BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'Pxe' });
    expect(system.resets).toEqual(['ForceOff', 'On']);

    expect(await ipmi.power()).toBe('on');
    expect(await ipmi.bootDevice()).toBe('pxe');
    expect(ipmi.bootFlags()).toMatchObject({ valid: true, persistent: false });
    expect(await ipmi.chassisCalls()).toEqual(expect.arrayContaining(['set power 0', 'set power 1']));

    expect(await libvirt.state('east-cmp02')).toBe('running');
    expect((await libvirt.bootOrder('east-cmp02'))[0]).toBe('network');
  });

  it('keeps every credential out of the log and out of every table', async () => {
    const output = server!.output();
    expect(output).not.toContain(REDFISH_CREDENTIAL);
    expect(output).not.toContain(IPMI_CREDENTIAL);
    expect(await tablesHolding(join(dir, 'd.db'), [REDFISH_CREDENTIAL, IPMI_CREDENTIAL])).toEqual([]);
  });
});
