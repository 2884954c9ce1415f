import { describe, expect, it } from 'vitest';
import type { DriverAction } from '../../src/drivers/actions.ts';
import { openLab, type Lab } from './lab.ts';

const PREPARE = ['set_node_boot', 'power_cycle_node', 'identify_node', 'configure_hardware'] as const;
const DEPLOY = ['apply_node_networking', 'apply_node_storage', 'apply_node_platform', 'deploy_node'] as const;

/** Runs the steps in order, each to its answer, and returns the first that is not done. */
async function until(lab: Lab, name: string, steps: readonly DriverAction[]) {
  for (const s of steps) {
    const p = await lab.run(s, name);
    if (p.state !== 'done') return { step: s, progress: p };
  }
  return null;
}

const failing = (spec: string) => openLab({ env: { FAKE_LAB_FAIL: spec } });

describe('fake lab failure injection (FAKE_LAB_FAIL=<node>:<step>)', () => {
  it('fails the OOB power actions of that node only, leaving its state alone', async () => {
    const lab = await failing('east-cmp01:power');
    for (const a of ['power_cycle_node', 'power_on_node', 'power_off_node', 'interrogate_oob'] as const) {
      const p = await lab.run(a, 'east-cmp01');
      expect(p.state).toBe('failed');
      expect(p.state === 'failed' && p.reason).toContain('failure injected by FAKE_LAB_FAIL east-cmp01:power');
    }
    expect(await lab.machine('east-cmp01')).toMatchObject({ status: 'New', powerState: 'off', operation: null });
    expect(await lab.run('power_cycle_node', 'east-cmp02')).toMatchObject({ state: 'done' });
    expect(await lab.run('set_node_boot', 'east-cmp01')).toMatchObject({ state: 'done' });
  });

  it('fails identify: the node is not found', async () => {
    const lab = await failing('east-ctl01:identify');
    expect(await until(lab, 'east-ctl01', PREPARE)).toEqual({
      step: 'identify_node',
      progress: { state: 'failed', reason: 'Node east-ctl01 not found in the fake lab (failure injected by FAKE_LAB_FAIL east-ctl01:identify)' },
    });
  });

  it('fails commissioning after its step, leaving the machine Failed with no build data', async () => {
    const lab = await openLab({ env: { FAKE_LAB_FAIL: 'east-ctl01:commission', FAKE_LAB_STEP_MS: '1000' } });
    expect(await lab.run('configure_hardware', 'east-ctl01')).toMatchObject({ state: 'pending' });
    expect((await lab.machine('east-ctl01'))?.status).toBe('Commissioning');
    lab.advance(1000);
    expect(await lab.run('configure_hardware', 'east-ctl01')).toEqual({
      state: 'failed',
      reason: 'Node east-ctl01 failed commissioning. (failure injected by FAKE_LAB_FAIL east-ctl01:commission)',
    });
    expect(await lab.machine('east-ctl01')).toMatchObject({ status: 'Failed', powerState: 'off' });
    expect(await lab.drivers.node.collectBuildData(lab.ctx, lab.nodeOf('east-ctl01'))).toEqual([]);
    expect((await lab.drivers.node.listMachines(lab.ctx))[0]?.status_name).toBe('Failed');
  });

  it('commissions a machine again once the failure is no longer injected', async () => {
    const lab = await failing('east-ctl01:commission');
    await lab.run('configure_hardware', 'east-ctl01');
    const healed = { ...lab.ctx.config, FAKE_LAB_FAIL: undefined };
    expect(await lab.run('configure_hardware', 'east-ctl01', { config: healed })).toMatchObject({ state: 'done' });
    expect((await lab.machine('east-ctl01'))?.status).toBe('Ready');
    expect((await lab.machine('east-ctl01'))?.detail).not.toHaveProperty('failure');
  });

  for (const kind of ['networking', 'storage', 'platform'] as const) {
    it(`fails applying ${kind} without changing the machine's status`, async () => {
      const lab = await failing(`east-cmp02:${kind}`);
      expect(await until(lab, 'east-cmp02', PREPARE)).toBeNull();
      const stopped = await until(lab, 'east-cmp02', DEPLOY);
      expect(stopped?.step).toBe(`apply_node_${kind}`);
      expect(stopped?.progress).toEqual({
        state: 'failed',
        reason: `Error configuring ${kind} for node east-cmp02. (failure injected by FAKE_LAB_FAIL east-cmp02:${kind})`,
      });
      expect((await lab.machine('east-cmp02'))?.status).toBe('Ready');
    });
  }

  it('fails deploying: Deploying -> Failed; a retry deploys again (Drydock\'s retries met "Unexpected status")', async () => {
    const lab = await failing('east-cmp01:deploy');
    await until(lab, 'east-cmp01', PREPARE);
    const stopped = await until(lab, 'east-cmp01', DEPLOY);
    expect(stopped).toEqual({
      step: 'deploy_node',
      progress: { state: 'failed', reason: 'Node east-cmp01 deployment failed. (failure injected by FAKE_LAB_FAIL east-cmp01:deploy)' },
    });
    expect(await lab.machine('east-cmp01')).toMatchObject({ status: 'Failed', operation: null });
    expect(await lab.run('deploy_node', 'east-cmp01')).toMatchObject({ state: 'failed' });
    const log = ((await lab.machine('east-cmp01'))?.detail as { log: Array<{ action: string }> }).log;
    expect(log.filter((e) => e.action === 'deploy_node')).toHaveLength(2);
    const healed = { ...lab.ctx.config, FAKE_LAB_FAIL: undefined };
    expect(await lab.run('deploy_node', 'east-cmp01', { config: healed })).toMatchObject({ state: 'done' });
    expect((await lab.machine('east-cmp01'))?.status).toBe('Deployed');
  });

  it('releases a machine whose deployment failed when networking is applied again, as Drydock', async () => {
    const lab = await failing('east-cmp01:deploy');
    await until(lab, 'east-cmp01', [...PREPARE, ...DEPLOY]);
    const p = await lab.run('apply_node_networking', 'east-cmp01', { taskId: 'task-2' });
    expect(p).toMatchObject({ state: 'done', detail: expect.stringContaining('Released failed node east-cmp01 to retry deployment.') });
    expect((await lab.machine('east-cmp01'))?.status).toBe('Ready');
  });

  it('fails releasing: Releasing -> Failed', async () => {
    const lab = await failing('east-ctl01:release');
    await until(lab, 'east-ctl01', [...PREPARE, ...DEPLOY]);
    expect(await lab.run('destroy_node', 'east-ctl01')).toEqual({
      state: 'failed',
      reason: 'Error releasing node east-ctl01. (failure injected by FAKE_LAB_FAIL east-ctl01:release)',
    });
    expect((await lab.machine('east-ctl01'))?.status).toBe('Failed');
  });

  it('injects failures for the nodes listed only, several at once', async () => {
    const lab = await failing('east-cmp01:deploy, east-cmp02:storage');
    const results: Record<string, string | undefined> = {};
    for (const name of ['east-ctl01', 'east-cmp01', 'east-cmp02']) {
      results[name] = (await until(lab, name, [...PREPARE, ...DEPLOY]))?.step;
    }
    expect(results).toEqual({ 'east-ctl01': undefined, 'east-cmp01': 'deploy_node', 'east-cmp02': 'apply_node_storage' });
  });
});
