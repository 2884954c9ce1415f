import { nextFree } from './ip-alloc.ts';
import type { SimMachine } from './model.ts';
import type { SimState } from './state.ts';
import { NODE_STATUS as S, STATUS_LABEL, canTransition } from './status.ts';

/**
 * Status changes the ops start and the test clock finishes. The op checks
 * follow canonical/maas src/maasserver/api/machines.py (deploy, release,
 * allocate) and models/node.py (start_commissioning, clean_status: an
 * invalid transition is a NodeStateViolation, HTTP 409).
 */
export class StateViolation extends Error {}

function move(m: SimMachine, to: number): void {
  if (!canTransition(m.status, to)) {
    throw new StateViolation(`Invalid transition: ${STATUS_LABEL[m.status]} -> ${STATUS_LABEL[to]}.`);
  }
  m.status = to;
}

export function startCommissioning(st: SimState, m: SimMachine): void {
  move(m, S.COMMISSIONING);
  m.powerState = 'on';
  m.errorDescription = '';
  const fail = st.failCommissioning.has(m.hostname);
  const stall = st.stallCommissioning.has(m.hostname);
  m.pending = { to: fail ? S.FAILED_COMMISSIONING : S.READY,
    at: stall ? Number.POSITIVE_INFINITY : st.now + st.timing.commissionTicks };
}

export function acquire(st: SimState, m: SimMachine): void {
  move(m, S.ALLOCATED);
  m.owner = st.username;
}

export function startDeploying(st: SimState, m: SimMachine): void {
  if (!canTransition(m.status, S.DEPLOYING)) {
    throw new StateViolation(`Can't deploy a machine that is in the '${STATUS_LABEL[m.status]}' state`);
  }
  m.status = S.DEPLOYING;
  m.powerState = 'on';
  // AUTO links get their static address when the deployment starts (interfaces.py link_subnet docs).
  for (const link of m.interfaces.flatMap((i) => i.links)) {
    const subnet = st.network.subnets.find((s) => s.id === link.subnetId);
    if (link.mode === 'auto' && !link.ipAddress && subnet) link.ipAddress = nextFree(st, subnet.cidr);
  }
  const fail = st.failDeploy.has(m.hostname);
  m.pending = { to: fail ? S.FAILED_DEPLOYMENT : S.DEPLOYED, at: st.now + st.timing.deployTicks };
}

/** models/node.py start_releasing: a release whose only script is wipe-disks (erase) shows as Disk erasing. */
export function startReleasing(st: SimState, m: SimMachine, erase: boolean): void {
  m.status = erase ? S.DISK_ERASING : S.RELEASING;
  m.pending = { to: S.READY, at: st.now + st.timing.releaseTicks };
}

/** What lands when a pending change arrives (MAAS's own side effects of each status). */
function land(m: SimMachine): void {
  const to = m.pending!.to;
  m.pending = null;
  m.status = to;
  if (to === S.READY) {
    m.powerState = 'off';
    m.commissioned = true;
    // Released: MAAS drops the owner and the workload annotations.
    m.owner = null;
    m.ownerData = {};
    m.osystem = '';
    m.distroSeries = '';
    m.userData = null;
  }
  if (to === S.FAILED_COMMISSIONING) {
    m.powerState = 'off';
    m.errorDescription = 'Commissioning script failed (simulated)';
  }
  if (to === S.FAILED_DEPLOYMENT) m.errorDescription = 'Installation failed (simulated)';
}

/** Moves the test clock by `ticks`, landing every change that falls due. */
export function advance(st: SimState, ticks: number): void {
  st.now += ticks;
  for (const m of st.machines) {
    if (m.pending && m.pending.at <= st.now) land(m);
  }
}
