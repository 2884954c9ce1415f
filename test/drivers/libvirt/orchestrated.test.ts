import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibvirtOobDriver } from '../../../src/drivers/libvirt/driver.ts';
import { createCommandRunner } from '../../../src/runtime/command-runner.ts';
import { hasSiteTools } from '../../helpers/site-tools.ts';
import { siteOf } from '../../helpers/site-model.ts';
import { harness, scriptedDrivers } from '../../orchestrator/harness.ts';
import { libvirtNode } from './context.ts';
import { startLibvirtTestDaemon, type LibvirtTestDaemon } from './libvirt-daemon.ts';

describe.skipIf(!hasSiteTools('libvirt'))('the libvirt driver under the orchestrator', () => {
  let lv: LibvirtTestDaemon;
  beforeAll(async () => {
    lv = await startLibvirtTestDaemon();
  });
  afterAll(async () => {
    await lv?.stop();
  });

  it('prepare_nodes boots a domain from the network first and power cycles it; a missing domain fails alone', async () => {
    await lv.defineDomain('vm-1', { boot: ['hd'], running: true });
    const before = await lv.domainId('vm-1');
    const site = siteOf({ nodes: [libvirtNode('vm-1', lv.uri), libvirtNode('vm-missing', lv.uri)] });
    const { drivers } = scriptedDrivers({});
    const h = await harness({
      drivers: { ...drivers, oob: [createLibvirtOobDriver({ runner: createCommandRunner() })] },
      sites: { 'design://libvirt': site },
      env: { OOB_DRIVER: 'libvirt', OOB_POWER_POLL_MS: '50' },
    });
    const id = await h.create({ action: 'prepare_nodes', designRef: 'design://libvirt', createdBy: 'test' });
    await h.drain();
    const task = await h.task(id);
    expect(task.resultSuccesses).toEqual(['vm-1']);
    expect(task.resultFailures).toEqual(['vm-missing']);
    // On libvirt's side: network first in the definition and in the running
    // domain (the cycle was a cold start), and a new domain id.
    expect(await lv.bootOrder('vm-1')).toEqual(['network', 'hd']);
    expect(await lv.state('vm-1')).toBe('running');
    expect(await lv.domainId('vm-1')).not.toBe(before);
    const live = await lv.virsh(['dumpxml', '--domain', 'vm-1']);
    expect(live.indexOf("<boot dev='network'/>")).toBeGreaterThan(-1);
    expect(live.indexOf("<boot dev='network'/>")).toBeLessThan(live.indexOf("<boot dev='hd'/>"));
    const all = [...(await h.messages(id))];
    for (const sub of await h.subtasks(id)) all.push(...(await h.messages(sub.taskId)));
    const missing = all.filter((m) => m.error && m.message.includes('vm-missing')).map((m) => m.message);
    expect(missing.join('\n')).toContain("failed to get domain 'vm-missing'");
  });
});
