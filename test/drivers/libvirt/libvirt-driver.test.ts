import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSiteTools } from '../../helpers/site-tools.ts';
import { contextFor, CREDENTIAL, libvirtNode, recordingRunner } from './context.ts';
import { startLibvirtTestDaemon, type LibvirtTestDaemon } from './libvirt-daemon.ts';

// The driver against a real libvirt (libvirtd hosting the test hypervisor);
// every outcome is checked on libvirt's side with the harness's own virsh.

let lv: LibvirtTestDaemon;
let seq = 0;
/** A fresh domain per test, so tests do not lean on each other's state. */
const domain = async (opts: { boot?: string[]; running?: boolean } = {}) => {
  const name = `node-${++seq}`;
  await lv.defineDomain(name, opts);
  return name;
};

describe.skipIf(!hasSiteTools('libvirt'))('libvirt driver against libvirtd (test hypervisor)', () => {
  beforeAll(async () => {
    lv = await startLibvirtTestDaemon();
  });
  afterAll(async () => {
    await lv?.stop();
  });

  describe('power', () => {
    it('powers a shut-off domain on', async () => {
      const name = await domain();
      const { until } = contextFor([]);
      expect(await until('power_on_node', libvirtNode(name, lv.uri))).toMatchObject({ state: 'done', detail: expect.stringContaining('running') });
      expect(await lv.state(name)).toBe('running');
    });

    it('runs a paused domain again (resume; Drydock leaves it paused, taking it for on)', async () => {
      const name = await domain({ running: true });
      await lv.virsh(['suspend', '--domain', name]);
      expect(await lv.state(name)).toBe('paused');
      const { until } = contextFor([]);
      expect(await until('power_on_node', libvirtNode(name, lv.uri))).toMatchObject({ state: 'done' });
      expect(await lv.state(name)).toBe('running');
    });

    it('powers a running domain off', async () => {
      const name = await domain({ running: true });
      const { until } = contextFor([]);
      expect(await until('power_off_node', libvirtNode(name, lv.uri))).toMatchObject({ state: 'done' });
      expect(await lv.state(name)).toBe('shut off');
    });

    it('power cycles a running domain: it was off in between (a new domain id) and ends running', async () => {
      const name = await domain({ running: true });
      const before = await lv.domainId(name);
      const { until, runner } = contextFor([]);
      expect(await until('power_cycle_node', libvirtNode(name, lv.uri))).toMatchObject({ state: 'done', detail: expect.stringContaining('power cycled') });
      expect(await lv.state(name)).toBe('running');
      expect(await lv.domainId(name)).not.toBe(before);
      // destroy then start, as Drydock: a reset would not apply a new boot order.
      const commands = runner!.calls.map((c) => c.args[1]);
      expect(commands.filter((c) => c === 'destroy' || c === 'start' || c === 'reset')).toEqual(['destroy', 'start']);
    });

    it('power cycles a shut-off domain by starting it', async () => {
      const name = await domain();
      const { until } = contextFor([]);
      expect(await until('power_cycle_node', libvirtNode(name, lv.uri))).toMatchObject({ state: 'done' });
      expect(await lv.state(name)).toBe('running');
    });

    it.each([
      ['power_on_node', true, 'running'],
      ['power_off_node', false, 'shut off'],
    ] as const)('%s on a domain already %s succeeds at once, without a command', async (action, running, state) => {
      const name = await domain({ running });
      const id = await lv.domainId(name);
      const { driver, ctx, runner } = contextFor([]);
      expect(await driver.run(ctx, action, libvirtNode(name, lv.uri))).toMatchObject({ state: 'done', detail: expect.stringContaining('already') });
      expect(runner!.calls.map((c) => c.args[1])).toEqual(['domstate']);
      expect(await lv.state(name)).toBe(state);
      expect(await lv.domainId(name)).toBe(id);
    });
  });

  describe('set_node_boot', () => {
    it('defines the domain to boot from the network first, then its disk, and reads it back', async () => {
      const name = await domain({ boot: ['hd'] });
      const { driver, ctx } = contextFor([]);
      const answer = await driver.run(ctx, 'set_node_boot', libvirtNode(name, lv.uri));
      expect(answer).toMatchObject({ state: 'done', detail: expect.stringContaining('network') });
      expect(await lv.bootOrder(name)).toEqual(['network', 'hd']);
    });

    it('replaces any boot order (cdrom, hd) with network, hd (Drydock\'s order)', async () => {
      const name = await domain({ boot: ['cdrom', 'hd'] });
      const { driver, ctx } = contextFor([]);
      expect(await driver.run(ctx, 'set_node_boot', libvirtNode(name, lv.uri))).toMatchObject({ state: 'done' });
      expect(await lv.bootOrder(name)).toEqual(['network', 'hd']);
    });

    it('changes the persistent definition of a running domain, which a power cycle then applies', async () => {
      const name = await domain({ running: true });
      const { driver, ctx, until } = contextFor([]);
      expect(await driver.run(ctx, 'set_node_boot', libvirtNode(name, lv.uri))).toMatchObject({ state: 'done' });
      expect(await lv.bootOrder(name)).toEqual(['network', 'hd']);
      expect(await until('power_cycle_node', libvirtNode(name, lv.uri))).toMatchObject({ state: 'done' });
      const live = await lv.virsh(['dumpxml', '--domain', name]);
      expect(live.indexOf("<boot dev='network'/>")).toBeLessThan(live.indexOf("<boot dev='hd'/>"));
      expect(live).toContain("<boot dev='network'/>");
    });

    it('answers at once, without defining, when the domain already boots from the network first', async () => {
      const name = await domain({ boot: ['network', 'hd'] });
      const { driver, ctx, runner } = contextFor([]);
      expect(await driver.run(ctx, 'set_node_boot', libvirtNode(name, lv.uri))).toMatchObject({ state: 'done', detail: expect.stringContaining('already') });
      expect(runner!.calls.some((c) => c.args.includes('define'))).toBe(false);
    });
  });

  it('interrogate_oob reports the domain\'s state, dominfo and boot order as libvirt has them', async () => {
    const name = await domain({ running: true });
    const uuid = (await lv.virsh(['domuuid', '--domain', name])).trim();
    const { driver, ctx } = contextFor([]);
    const answer = await driver.run(ctx, 'interrogate_oob', libvirtNode(name, lv.uri));
    expect(answer.state).toBe('done');
    const detail = answer.state === 'done' ? (answer.detail ?? '') : '';
    expect(detail).toContain(`libvirt domain ${name}`);
    expect(detail).toContain('state running');
    expect(detail).toContain(`UUID ${uuid}`);
    expect(detail).toContain('CPU(s) 2');
    expect(detail).toContain('boot order hd');
  });

  describe('failures', () => {
    it('names the node, the URI and what libvirt said for a domain that does not exist', async () => {
      const { driver, ctx } = contextFor([]);
      const answer = await driver.run(ctx, 'power_on_node', libvirtNode('ghost', lv.uri));
      expect(answer.state).toBe('failed');
      const reason = answer.state === 'failed' ? answer.reason : '';
      expect(reason).toContain('node ghost');
      expect(reason).toContain('test+unix:///default');
      expect(reason).toContain("failed to get domain 'ghost'");
    });

    it('refuses a design-given URI that would run a local program (ext transport, command=), without running virsh', async () => {
      for (const uri of ['qemu+ext:///system?command=/bin/sh', 'qemu+ssh://kvm/system?command=/tmp/evil']) {
        const { driver, ctx, runner } = contextFor([]);
        const answer = await driver.run(ctx, 'power_on_node', libvirtNode('n1', uri));
        expect(answer).toMatchObject({ state: 'failed', reason: expect.stringMatching(/local program/) });
        expect(runner!.calls).toHaveLength(0);
      }
    });

    it('refuses a host that ssh would read as an option (-oProxyCommand=…), without running virsh', async () => {
      const { driver, ctx, runner } = contextFor([]);
      const answer = await driver.run(ctx, 'power_on_node', libvirtNode('n1', 'qemu+ssh://-oProxyCommand=touch%20pwned/system'));
      expect(answer).toMatchObject({ state: 'failed', reason: expect.stringMatching(/starting with '-', which ssh would read as an option/) });
      expect(runner!.calls).toHaveLength(0);
    });

    it('names oob.libvirt_uri when it is missing or not a URI', async () => {
      const { driver, ctx } = contextFor([]);
      expect(await driver.run(ctx, 'power_on_node', libvirtNode('n1', undefined))).toMatchObject({ state: 'failed', reason: expect.stringContaining('oob.libvirt_uri is not set') });
      expect(await driver.run(ctx, 'power_on_node', libvirtNode('n1', 'not a uri'))).toMatchObject({ state: 'failed', reason: expect.stringContaining('not a URI') });
    });

    it('validate_oob_services checks virsh and every libvirt node\'s URI, naming the nodes at fault', async () => {
      const good = libvirtNode('good', lv.uri);
      const bad = libvirtNode('bad', undefined);
      const { driver, ctx } = contextFor([good, bad]);
      const answer = await driver.run(ctx, 'validate_oob_services', null);
      expect(answer).toMatchObject({ state: 'failed', reason: expect.stringContaining('node bad: oob.libvirt_uri is not set') });
      expect(answer.state === 'failed' && answer.reason.includes('good')).toBe(false);
      const { driver: d2, ctx: c2 } = contextFor([good]);
      expect(await d2.run(c2, 'validate_oob_services', null)).toMatchObject({ state: 'done' });
    });

    it('fails clearly, and soon, on a hypervisor that refuses the connection', async () => {
      const { driver, ctx } = contextFor([]);
      const answer = await driver.run(ctx, 'power_on_node', libvirtNode('n1', 'qemu+tcp://127.0.0.1:1/system'));
      expect(answer).toMatchObject({ state: 'failed', reason: expect.stringMatching(/node n1, BMC libvirt qemu\+tcp:\/\/127\.0\.0\.1:1\/system: .*Connection refused/) });
    });
  });
});
