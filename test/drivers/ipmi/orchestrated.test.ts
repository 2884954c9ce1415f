import { afterAll, describe, expect, it } from 'vitest';
import { createIpmiOobDriver } from '../../../src/drivers/ipmi/driver.ts';
import { siteOf } from '../../helpers/site-model.ts';
import { hasSiteTools } from '../../helpers/site-tools.ts';
import { harness, scriptedDrivers } from '../../orchestrator/harness.ts';
import { nodeOf, recordingRunner } from './context.ts';
import { startIpmiSim, type IpmiSim } from './ipmi-sim.ts';

const sims: IpmiSim[] = [];
afterAll(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

describe.skipIf(!hasSiteTools('ipmi'))('the ipmi driver under the orchestrator (ipmi_sim)', () => {
  it('prepares the nodes whose BMC lets it in (PXE once, power cycled) and fails only the one that refuses', async () => {
    const refusing = await startIpmiSim({ initialPower: 'on' });
    const good = await startIpmiSim({ initialPower: 'on', powerDelayMs: 150 });
    sims.push(refusing, good);
    const wrong = 'wrong-credential-377';
    const site = siteOf({ nodes: [nodeOf('n1', refusing, { credential: wrong }), nodeOf('n2', good)] });
    const runner = recordingRunner();
    const { drivers } = scriptedDrivers({});
    const h = await harness({
      drivers: { ...drivers, oob: [createIpmiOobDriver({ runner })] },
      sites: { 'design://ipmi': site },
      env: { OOB_DRIVER: 'ipmi', OOB_POWER_POLL_MS: '50', OOB_REQUEST_TIMEOUT_MS: '3000' },
    });
    const id = await h.create({ action: 'prepare_nodes', designRef: 'design://ipmi', createdBy: 'test' });
    await h.drain();
    const task = await h.task(id);
    expect(task.resultSuccesses).toEqual(['n2']);
    expect(task.resultFailures).toEqual(['n1']);
    expect(await good.power()).toBe('on');
    expect((await good.chassisCalls()).filter((c) => c.startsWith('set '))).toEqual(['set boot pxe', 'set power 0', 'set power 1']);
    expect(good.bootFlags()).toEqual({ valid: true, persistent: false, device: 1 });
    expect((await refusing.chassisCalls()).filter((c) => c.startsWith('set '))).toEqual([]);
    const all = [...(await h.messages(id))];
    for (const sub of await h.subtasks(id)) all.push(...(await h.messages(sub.taskId)));
    const n1 = all.filter((m) => m.error && m.message.includes('n1')).map((m) => m.message);
    expect(n1.join('\n')).toContain(`node n1, BMC ipmi://127.0.0.1:${refusing.port}: the BMC refused the login (wrong account or credential)`);
    expect(JSON.stringify(all)).not.toContain(wrong);
    expect(runner.runs.some((r) => r.args.join(' ').includes(wrong))).toBe(false);
  });
});
