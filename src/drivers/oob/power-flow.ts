import type { DriverMemo, Progress } from '../types.ts';
import { OobError } from './oob-error.ts';

/** A BMC's power switch, as each OOB driver (Redfish, IPMI, libvirt) offers it. */
export interface PowerControl {
  /** The power state as the BMC words it (Redfish: On, Off, PoweringOn, …). */
  read(): Promise<string>;
  /** Whether a state read means the machine is on, off, or neither yet. */
  isOn(state: string): boolean;
  isOff(state: string): boolean;
  powerOn(): Promise<void>;
  powerOff(): Promise<void>;
}

/** Drydock's power_state_change_retry_interval and power_state_change_max_retries. */
export interface PollSettings {
  pollMs: number;
  maxPolls: number;
}

export type PowerAction = 'power_on_node' | 'power_off_node' | 'power_cycle_node';

type Phase = 'on' | 'off';

const waiting = (phase: Phase, polls: number, settings: PollSettings, state: string): Progress => ({
  state: 'pending',
  detail: `waiting for power ${phase === 'on' ? 'On' : 'Off'} (poll ${polls} of ${settings.maxPolls}; the BMC reports ${state})`,
  retryAfterMs: settings.pollMs,
  memo: { phase, polls },
});

/**
 * Sends the command of a phase and reads once: a fast BMC is done without a
 * poll; a power cycle whose off shows at once goes on to its on.
 */
async function command(control: PowerControl, action: PowerAction, phase: Phase, settings: PollSettings): Promise<Progress> {
  await (phase === 'on' ? control.powerOn() : control.powerOff());
  const state = await control.read();
  return reachedOrWait(control, action, phase, 0, settings, state);
}

async function reachedOrWait(
  control: PowerControl,
  action: PowerAction,
  phase: Phase,
  polls: number,
  settings: PollSettings,
  state: string,
): Promise<Progress> {
  const reached = phase === 'on' ? control.isOn(state) : control.isOff(state);
  if (!reached) return waiting(phase, polls, settings, state);
  if (action === 'power_cycle_node' && phase === 'off') return command(control, action, 'on', settings);
  return { state: 'done', detail: `${action === 'power_cycle_node' ? 'power cycled; ' : ''}the BMC reports ${state}` };
}

function memoOf(memo: DriverMemo | undefined): { phase: Phase; polls: number } | null {
  if (!memo || (memo.phase !== 'on' && memo.phase !== 'off') || typeof memo.polls !== 'number') return null;
  return { phase: memo.phase, polls: memo.polls };
}

/**
 * One bounded step of a power action, shared by the OOB drivers. Drydock
 * sends the command and then sleeps in a loop (a worker blocked for up to
 * 18 × 10 s); here each call sends or polls once and answers `pending` with
 * the poll count in its memo, failing when the count runs out. A node
 * already in the target state is done at once; a power cycle is off, then on
 * (Drydock's ForceOff/On), skipping off for a node that is off already.
 */
export async function powerStep(
  control: PowerControl,
  action: PowerAction,
  memo: DriverMemo | undefined,
  settings: PollSettings,
): Promise<Progress> {
  const resumed = memoOf(memo);
  const state = await control.read();
  if (!resumed) {
    if (action === 'power_on_node' && control.isOn(state)) return { state: 'done', detail: `already ${state}; nothing to do` };
    if (action === 'power_off_node' && control.isOff(state)) return { state: 'done', detail: `already ${state}; nothing to do` };
    if (action === 'power_cycle_node' && control.isOff(state)) return command(control, action, 'on', settings);
    return command(control, action, action === 'power_on_node' ? 'on' : 'off', settings);
  }
  const { phase, polls } = resumed;
  const reached = phase === 'on' ? control.isOn(state) : control.isOff(state);
  if (!reached && polls + 1 >= settings.maxPolls) {
    const ms = settings.maxPolls * settings.pollMs;
    const span = ms < 10_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
    throw new OobError(
      `the BMC did not report power ${phase === 'on' ? 'On' : 'Off'} after ${settings.maxPolls} polls (about ${span}; ` +
        `OOB_POWER_MAX_POLLS × OOB_POWER_POLL_MS); it last reported ${state}`,
    );
  }
  return reachedOrWait(control, action, phase, polls + 1, settings, state);
}
