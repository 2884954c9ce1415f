import { describe, expect, it } from 'vitest';
import { inProcessWakeups, pollingOnly } from '../../../src/drivers/remote/call-wakeups.ts';

/** 'woken' when the watch settled, else 'waiting' (a settled promise always wins the race). */
const stateOf = (woken: Promise<void>) =>
  Promise.race([woken.then(() => 'woken'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 20))]);

describe('waking leases when a call is queued', () => {
  it('wakes a watch armed before the call was queued, even one awaited only afterwards (the look-then-wait race)', async () => {
    const wakeups = inProcessWakeups();
    const watch = wakeups.watch('east-lab');
    // The lease looked at the database here and found nothing; the call is queued before it waits.
    wakeups.queued('east-lab');
    expect(await stateOf(watch.woken)).toBe('woken');
    watch.close();
    expect(wakeups.watching()).toBe(0);
  });

  it("wakes only the queued site's watches", async () => {
    const wakeups = inProcessWakeups();
    const east = wakeups.watch('east-lab');
    const west = wakeups.watch('west-lab');
    wakeups.queued('east-lab');
    expect(await stateOf(east.woken)).toBe('woken');
    expect(await stateOf(west.woken)).toBe('waiting');
    expect(wakeups.watching('west-lab')).toBe(1);
    west.close();
    east.close();
  });

  it('forgets a closed watch, so ended lease requests leave nothing behind', () => {
    const wakeups = inProcessWakeups();
    const watches = [wakeups.watch('s'), wakeups.watch('s'), wakeups.watch('t')];
    expect(wakeups.watching()).toBe(3);
    expect(wakeups.watching('s')).toBe(2);
    for (const w of watches) w.close();
    watches[0]!.close();
    expect(wakeups.watching()).toBe(0);
    wakeups.queued('s');
    expect(wakeups.watching()).toBe(0);
  });

  it('never wakes when polling only (Workers), and keeps no watch', async () => {
    const wakeups = pollingOnly(250);
    const watch = wakeups.watch('s');
    wakeups.queued('s');
    expect(await stateOf(watch.woken)).toBe('waiting');
    expect(wakeups.watching()).toBe(0);
    expect(wakeups.pollMs).toBe(250);
  });
});
