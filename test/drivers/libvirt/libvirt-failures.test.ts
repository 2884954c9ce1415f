import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.ts';
import { createDrivers } from '../../../src/drivers/index.ts';
import { createCommandRunner } from '../../../src/runtime/command-runner.ts';
import { driverProbes } from '../../../src/services/driver-probes.ts';
import { findProgram, hasSiteTools } from '../../helpers/site-tools.ts';
import { contextFor, CREDENTIAL, libvirtNode } from './context.ts';
import { startLibvirtTestDaemon, type LibvirtTestDaemon } from './libvirt-daemon.ts';

const reasonOf = (answer: { state: string; reason?: string }) => answer.reason ?? '';

describe('libvirt driver without virsh or without a runner', () => {
  it('names VIRSH_PATH and Debian\'s libvirt-clients when virsh is missing, in calls, validation and health', async () => {
    const node = libvirtNode('n1', 'qemu+ssh://kvm/system');
    const { driver, ctx } = contextFor([node], { VIRSH_PATH: '/nonexistent' });
    for (const action of ['power_on_node', 'set_node_boot', 'interrogate_oob', 'validate_oob_services'] as const) {
      const answer = await driver.run(ctx, action, action === 'validate_oob_services' ? null : node);
      expect(answer.state).toBe('failed');
      expect(reasonOf(answer)).toMatch(/VIRSH_PATH=\/nonexistent.*libvirt-clients/);
    }
    await expect(driver.health(ctx)).rejects.toThrow(/libvirt OOB driver enabled, but virsh was not found \(VIRSH_PATH=\/nonexistent\)/);
  });

  it('fails every call clearly when the runtime has no command runner (Workers)', async () => {
    const node = libvirtNode('n1', 'qemu+ssh://kvm/system');
    const { driver, ctx } = contextFor([node], {}, { withoutRunner: true });
    expect(reasonOf(await driver.run(ctx, 'power_on_node', node))).toMatch(/^node n1: the libvirt driver runs virsh, and this runtime cannot run programs/);
    expect(reasonOf(await driver.run(ctx, 'validate_oob_services', null))).toMatch(/cannot run programs/);
    await expect(driver.health(ctx)).rejects.toThrow(/cannot run programs/);
  });

  it('is built for OOB_DRIVER=libvirt with the runtime\'s runner and serves oob.type libvirt', async () => {
    const config = loadConfig({ AUTH_MODE: 'none', OOB_DRIVER: 'libvirt' });
    const drivers = createDrivers(config, { commandRunner: createCommandRunner() });
    expect(drivers.oob.map((d) => [d.name, d.oobTypes])).toEqual([['libvirt', ['libvirt']]]);
  });
});

describe.skipIf(!hasSiteTools('libvirt'))('libvirt driver failures against real virsh', () => {
  let lv: LibvirtTestDaemon;
  let silent: Server;
  let silentPort = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    lv = await startLibvirtTestDaemon();
    // A hypervisor that takes the connection and never answers.
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent?.close(r));
    await lv?.stop();
  });

  it('says in health that the driver is enabled and where virsh is', async () => {
    const config = loadConfig({ AUTH_MODE: 'none', OOB_DRIVER: 'libvirt' });
    const drivers = createDrivers(config, { commandRunner: createCommandRunner() });
    const [, probe] = driverProbes(drivers, contextFor([]).ctx);
    expect(probe?.name).toBe('oob driver libvirt');
    await expect(probe!.check()).resolves.toMatch(/^libvirt OOB driver enabled: virsh at \/\S*virsh/);
  });

  it('gives up on a hypervisor that never answers after OOB_REQUEST_TIMEOUT_MS, saying so', async () => {
    const { driver, ctx } = contextFor([], { OOB_REQUEST_TIMEOUT_MS: '500' });
    const started = Date.now();
    const answer = await driver.run(ctx, 'power_on_node', libvirtNode('n1', `qemu+tcp://127.0.0.1:${silentPort}/system`));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(reasonOf(answer)).toMatch(new RegExp(`^node n1, BMC libvirt qemu\\+tcp://127\\.0\\.0\\.1:${silentPort}/system: virsh domstate did not finish within 500 ms \\(OOB_REQUEST_TIMEOUT_MS\\)`));
  });

  // Over ssh, libvirt's error quotes the keyfile path (ssh's "Identity file … not accessible").
  const secretUris = [
    ['tcp', 'qemu+tcp://alice-user:hunter2pw@127.0.0.1:1/system?keyfile=/root/key-secret-7', 'qemu+tcp://127.0.0.1:1/system?keyfile=[hidden]', 'Connection refused'],
    ...(findProgram('ssh') ? [['ssh', 'qemu+ssh://alice-user:hunter2pw@127.0.0.1:1/system?keyfile=/root/key-secret-7', 'qemu+ssh://127.0.0.1:1/system?keyfile=[hidden]', 'Identity file [credential hidden] not accessible']] : []),
  ];
  it.each(secretUris)('keeps the %s URI\'s user, password and keyfile and the node\'s credential out of argv, messages and logs', async (_kind, uri, shown, said) => {
    const node = libvirtNode('n1', uri);
    const { driver, ctx, lines, runner } = contextFor([node]);
    const reason = reasonOf(await driver.run(ctx, 'power_on_node', node));
    expect(reason).toContain(`node n1, BMC libvirt ${shown}: virsh domstate failed`);
    expect(reason).toContain(said);
    const args = runner!.calls.flatMap((c) => [c.file, ...c.args]).join(' ');
    for (const secret of ['alice-user', 'hunter2pw', 'key-secret-7', CREDENTIAL]) {
      expect(reason).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
      expect(args).not.toContain(secret);
    }
    // virsh got the URI, through its environment.
    expect(runner!.calls[0]?.options.env?.LIBVIRT_DEFAULT_URI).toBe(uri);
  });

  it('refuses to set the boot order of a domain whose devices carry their own, leaving it as it was', async () => {
    const name = 'per-device-boot';
    await lv.defineXml(
      name,
      `<domain type='test'><name>${name}</name><memory>1048576</memory><os><type>hvm</type></os>` +
        `<devices><interface type='network'><source network='default'/><boot order='2'/></interface></devices></domain>`,
    );
    const before = await lv.virsh(['dumpxml', '--inactive', '--domain', name]);
    const { driver, ctx } = contextFor([]);
    const answer = await driver.run(ctx, 'set_node_boot', libvirtNode(name, lv.uri));
    expect(reasonOf(answer)).toMatch(/^node per-device-boot, BMC libvirt .*: the domain gives its devices a boot order/);
    expect(await lv.virsh(['dumpxml', '--inactive', '--domain', name])).toBe(before);
  });

  it('runs each virsh with the URI in its environment only: no -c and no URI in argv', async () => {
    await lv.defineDomain('argv-check', { running: true });
    const { driver, ctx, runner } = contextFor([]);
    await driver.run(ctx, 'set_node_boot', libvirtNode('argv-check', lv.uri));
    expect(runner!.calls.length).toBeGreaterThan(2);
    expect(runner!.calls.map((c) => c.file)).toContain('bash'); // define: bash hands virsh the XML through a pipe
    for (const call of runner!.calls) {
      if (call.file !== 'bash') expect(call.args).not.toContain('-c'); // bash's own -c is its script
      expect(call.args.join(' ')).not.toContain('test+unix');
      expect(call.options.env?.VIRSH_DEFAULT_CONNECT_URI).toBe(lv.uri);
    }
  });

  it('the harness\'s stop() ends libvirtd and its keeper and removes its temp dir', async () => {
    const other = await startLibvirtTestDaemon();
    expect(existsSync(other.dir)).toBe(true);
    await other.stop();
    expect(existsSync(other.dir)).toBe(false);
    for (const pid of other.pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});
