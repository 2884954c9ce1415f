import { describe, expect, it } from 'vitest';
import { powerStep, type PowerControl } from '../../../src/drivers/oob/power-flow.ts';
import type { DriverMemo, Progress } from '../../../src/drivers/types.ts';

/** A switch whose state moves only when the test says (`settle`), recording commands. */
function fakeSwitch(initial: string, instant = false) {
  const log: string[] = [];
  let state = initial;
  let target: string | null = null;
  const control: PowerControl = {
    read: async () => state,
    isOn: (s) => s === 'On',
    isOff: (s) => s === 'Off',
    async powerOn() {
      log.push('on');
      if (instant) state = 'On';
      else [state, target] = ['PoweringOn', 'On'];
    },
    async powerOff() {
      log.push('off');
      if (instant) state = 'Off';
      else [state, target] = ['PoweringOff', 'Off'];
    },
  };
  const settle = () => {
    if (target) [state, target] = [target, null];
  };
  return { control, log, settle };
}

const settings = { pollMs: 1000, maxPolls: 3 };
const memoOf = (p: Progress): DriverMemo | undefined => (p.state === 'pending' ? p.memo : undefined);

describe('powerStep (shared by the OOB drivers)', () => {
  it('sends, answers pending with the poll in its memo, then done when the state arrives', async () => {
    const s = fakeSwitch('Off');
    const first = await powerStep(s.control, 'power_on_node', undefined, settings);
    expect(first).toEqual({ state: 'pending', detail: 'waiting for power On (poll 0 of 3; the BMC reports PoweringOn)', retryAfterMs: 1000, memo: { phase: 'on', polls: 0 } });
    const second = await powerStep(s.control, 'power_on_node', memoOf(first), settings);
    expect(second).toMatchObject({ state: 'pending', memo: { phase: 'on', polls: 1 } });
    s.settle();
    expect(await powerStep(s.control, 'power_on_node', memoOf(second), settings)).toEqual({ state: 'done', detail: 'the BMC reports On' });
    expect(s.log).toEqual(['on']);
  });

  it('goes on to power on in the same call when a cycle\'s off shows at once', async () => {
    const s = fakeSwitch('On', true);
    expect(await powerStep(s.control, 'power_cycle_node', undefined, settings)).toEqual({ state: 'done', detail: 'power cycled; the BMC reports On' });
    expect(s.log).toEqual(['off', 'on']);
  });

  it('powers a cycle on after its off arrives, and only then', async () => {
    const s = fakeSwitch('On');
    const off = await powerStep(s.control, 'power_cycle_node', undefined, settings);
    expect(off).toMatchObject({ memo: { phase: 'off', polls: 0 } });
    s.settle();
    const on = await powerStep(s.control, 'power_cycle_node', memoOf(off), settings);
    expect(on).toMatchObject({ state: 'pending', memo: { phase: 'on', polls: 0 } });
    expect(s.log).toEqual(['off', 'on']);
    s.settle();
    expect(await powerStep(s.control, 'power_cycle_node', memoOf(on), settings)).toMatchObject({ state: 'done' });
  });

  it('cycles a node that is off by powering it on only', async () => {
    const s = fakeSwitch('Off', true);
    expect(await powerStep(s.control, 'power_cycle_node', undefined, settings)).toMatchObject({ state: 'done' });
    expect(s.log).toEqual(['on']);
  });

  it('throws naming the polls, the settings and the last state when the count runs out', async () => {
    const s = fakeSwitch('On');
    let memo = memoOf(await powerStep(s.control, 'power_off_node', undefined, settings));
    memo = memoOf(await powerStep(s.control, 'power_off_node', memo, settings));
    memo = memoOf(await powerStep(s.control, 'power_off_node', memo, settings));
    await expect(powerStep(s.control, 'power_off_node', memo, settings)).rejects.toThrow(
      'the BMC did not report power Off after 3 polls (about 3000 ms; OOB_POWER_MAX_POLLS × OOB_POWER_POLL_MS); it last reported PoweringOff',
    );
  });

  it('starts over on a memo it does not know', async () => {
    const s = fakeSwitch('On');
    expect(await powerStep(s.control, 'power_on_node', { phase: 'sideways', polls: 2 }, settings)).toEqual({ state: 'done', detail: 'already On; nothing to do' });
  });
});
