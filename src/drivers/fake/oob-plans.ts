import type { DriverAction } from '../actions.ts';
import { done, failed, injected, start, type Plan } from './decisions.ts';

/**
 * The simulated BMC, after Drydock's IPMI and Redfish drivers
 * (drivers/oob/*): set the boot device, switch power, read power state.
 * FAKE_LAB_FAIL <node>:power makes the power actions fail as an unreachable
 * BMC would.
 */

const setBoot: Plan = (_ctx, node, row) => {
  if (row.bootDevice === 'pxe') return done(`Node ${node.name} already set to PXE boot.`);
  return start({}, { result: 'done', bootDevice: 'pxe', message: `Set bootdev to PXE on node ${node.name}.` });
};

/**
 * Drydock's IPMI PowerOnNode sends "power off" and then waits for the node to
 * report on, which it never does; the lab powers the node on.
 */
const powerOn: Plan = (ctx, node, row) => {
  const why = injected(ctx, node, 'power');
  if (why) return failed(`Node ${node.name} failed to power on.${why}`);
  if (row.powerState === 'on') return done(`Node ${node.name} reports power on.`);
  return start({}, { result: 'done', powerState: 'on', message: `Node ${node.name} reports power on.` });
};

const powerOff: Plan = (ctx, node, row) => {
  const why = injected(ctx, node, 'power');
  if (why) return failed(`Node ${node.name} failed to power off.${why}`);
  if (row.powerState === 'off') return done(`Node ${node.name} reports power off.`);
  return start({}, { result: 'done', powerState: 'off', message: `Node ${node.name} reports power off.` });
};

/** Off, then on: whatever the state before, the machine ends powered on (and boots from its boot device). */
const powerCycle: Plan = (ctx, node) => {
  const why = injected(ctx, node, 'power');
  if (why) return failed(`Failed to power up node ${node.name} during power cycle.${why}`);
  return start({ powerState: 'off' }, { result: 'done', powerState: 'on', message: `Node ${node.name} power cycle complete.` });
};

const interrogate: Plan = (ctx, node, row) => {
  const why = injected(ctx, node, 'power');
  if (why) return failed(`No answer from the BMC of node ${node.name}.${why}`);
  return done(`BMC interrogation of node ${node.name} yielded powerstate ${row.powerState}.`);
};

export const OOB_PLANS: Partial<Record<DriverAction, Plan>> = {
  set_node_boot: setBoot,
  power_on_node: powerOn,
  power_off_node: powerOff,
  power_cycle_node: powerCycle,
  interrogate_oob: interrogate,
};
