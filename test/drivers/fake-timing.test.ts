import { describe, expect, it } from 'vitest';
import { openLab } from './lab.ts';

const STEP = { FAKE_LAB_STEP_MS: '30000' };

describe('fake lab operations take FAKE_LAB_STEP_MS of lab time, without sleeping', () => {
  it('answers pending with the time left until the step has passed, then done', async () => {
    const lab = await openLab({ env: STEP });
    expect(await lab.run('configure_hardware', 'east-ctl01')).toEqual({
      state: 'pending',
      detail: 'configure_hardware of east-ctl01 in progress (Commissioning)',
      retryAfterMs: 30_000,
    });
    expect(await lab.machine('east-ctl01')).toMatchObject({ status: 'Commissioning', powerState: 'on', operation: 'configure_hardware' });
    lab.advance(12_000);
    expect(await lab.run('configure_hardware', 'east-ctl01')).toMatchObject({ state: 'pending', retryAfterMs: 18_000 });
    lab.advance(17_999);
    expect(await lab.run('configure_hardware', 'east-ctl01')).toMatchObject({ state: 'pending', retryAfterMs: 1 });
    lab.advance(1);
    expect(await lab.run('configure_hardware', 'east-ctl01')).toEqual({ state: 'done', detail: 'Node east-ctl01 commissioned.' });
    expect(await lab.machine('east-ctl01')).toMatchObject({ status: 'Ready', powerState: 'off', operation: null, operationStarted: null });
  });

  it('dates the outcome at the end of the step, not when someone next looked', async () => {
    const lab = await openLab({ env: STEP });
    await lab.run('configure_hardware', 'east-ctl01');
    lab.advance(3_600_000);
    await lab.run('configure_hardware', 'east-ctl01');
    const detail = (await lab.machine('east-ctl01'))?.detail as Record<string, unknown>;
    expect(detail['commissioned']).toBe(new Date(Date.UTC(2024, 0, 1, 12, 0, 30)).toISOString());
  });

  it('answers done again when the same task calls after done (idempotent)', async () => {
    const lab = await openLab({ env: STEP });
    await lab.run('power_cycle_node', 'east-ctl01');
    lab.advance(30_000);
    expect(await lab.run('power_cycle_node', 'east-ctl01')).toMatchObject({ state: 'done', detail: 'Node east-ctl01 power cycle complete.' });
    expect(await lab.run('power_cycle_node', 'east-ctl01')).toMatchObject({ state: 'done' });
    expect(await lab.run('identify_node', 'east-ctl01')).toMatchObject({ state: 'pending' });
    lab.advance(30_000);
    expect(await lab.run('identify_node', 'east-ctl01')).toMatchObject({ state: 'done' });
    expect(await lab.run('identify_node', 'east-ctl01')).toMatchObject({ state: 'done' });
    const log = ((await lab.machine('east-ctl01'))?.detail as { log: Array<{ action: string; result?: string }> }).log;
    expect(log.map((e) => [e.action, e.result])).toEqual([
      ['power_cycle_node', 'done'],
      ['identify_node', 'done'],
    ]);
  });

  it('power cycles again for another task (a cycle is not a state)', async () => {
    const lab = await openLab();
    await lab.run('power_cycle_node', 'east-ctl01');
    await lab.run('power_cycle_node', 'east-ctl01', { taskId: 'task-2' });
    const log = ((await lab.machine('east-ctl01'))?.detail as { log: unknown[] }).log;
    expect(log).toHaveLength(2);
  });

  it('starts one operation when two executors call at once', async () => {
    const lab = await openLab({ env: STEP });
    const answers = await Promise.all([
      lab.run('configure_hardware', 'east-ctl01'),
      lab.run('configure_hardware', 'east-ctl01'),
      lab.run('configure_hardware', 'east-ctl01', { taskId: 'task-2' }),
    ]);
    for (const a of answers) expect(a).toMatchObject({ state: 'pending', retryAfterMs: 30_000 });
    const row = await lab.machine('east-ctl01');
    expect(row?.operation).toBe('configure_hardware');
    expect((row?.detail as { log: unknown[] }).log).toHaveLength(1);
    lab.advance(30_000);
    const finished = await Promise.all([lab.run('configure_hardware', 'east-ctl01'), lab.run('configure_hardware', 'east-ctl01')]);
    for (const a of finished) expect(a).toMatchObject({ state: 'done' });
    expect(((await lab.machine('east-ctl01'))?.detail as { log: unknown[] }).log).toHaveLength(1);
  });

  it('starts and completes one operation when two executors race with a zero step', async () => {
    const lab = await openLab();
    const answers = await Promise.all([lab.run('power_cycle_node', 'east-cmp01'), lab.run('power_cycle_node', 'east-cmp01')]);
    for (const a of answers) expect(a).toMatchObject({ state: 'done' });
    const log = ((await lab.machine('east-cmp01'))?.detail as { log: Array<{ result?: string }> }).log;
    expect(log).toEqual([expect.objectContaining({ action: 'power_cycle_node', result: 'done' })]);
  });

  it('makes another action wait while the machine is busy, then proceed once the step has passed', async () => {
    const lab = await openLab({ env: STEP });
    await lab.run('configure_hardware', 'east-ctl01');
    lab.advance(10_000);
    expect(await lab.run('power_off_node', 'east-ctl01')).toEqual({
      state: 'pending',
      detail: 'east-ctl01 is busy: configure_hardware in progress (Commissioning)',
      retryAfterMs: 20_000,
    });
    lab.advance(20_000);
    // Commissioning completes on this call (whoever looks first) and powered the machine off.
    expect(await lab.run('power_off_node', 'east-ctl01')).toEqual({ state: 'done', detail: 'Node east-ctl01 reports power off.' });
    expect(await lab.machine('east-ctl01')).toMatchObject({ status: 'Ready', operation: null });
    expect(await lab.run('configure_hardware', 'east-ctl01')).toMatchObject({ state: 'done' });
  });

  it('lists a machine whose step has passed with its outcome, without writing', async () => {
    const lab = await openLab({ env: STEP });
    await lab.run('configure_hardware', 'east-ctl01');
    const list = () => lab.drivers.node.listMachines(lab.ctx);
    expect((await list())[0]?.status_name).toBe('Commissioning');
    lab.advance(30_000);
    expect((await list())[0]?.status_name).toBe('Ready');
    expect((await lab.machine('east-ctl01'))?.status).toBe('Commissioning');
  });

  it('completes each step of a whole prepare and deploy in the first call when the step is zero', async () => {
    const lab = await openLab();
    const steps = [
      'set_node_boot',
      'power_cycle_node',
      'identify_node',
      'configure_hardware',
      'apply_node_networking',
      'apply_node_storage',
      'apply_node_platform',
      'deploy_node',
    ] as const;
    for (const s of steps) expect(await lab.run(s, 'east-cmp02')).toMatchObject({ state: 'done' });
    expect(await lab.machine('east-cmp02')).toMatchObject({ status: 'Deployed', powerState: 'on', bootDevice: 'pxe' });
  });
});
