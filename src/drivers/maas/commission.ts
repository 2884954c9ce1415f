import type { BaremetalNode } from '../../design/model.ts';
import type { DriverMemo, Progress } from '../types.ts';
import type { MaasClient } from './client.ts';
import { findNode } from './identify.ts';
import type { MaasMachine } from './machines.ts';

export interface CommissionSettings {
  /** Drydock's maasdriver.poll_interval (10 s). */
  pollMs: number;
  /** Drydock's timeouts.configure_hardware (30 min), from the commission call on. */
  timeoutMs: number;
  /** Drydock's maasdriver.skip_bmc_config: MAAS leaves the BMC's users alone. */
  skipBmcConfig: boolean;
}

// MAAS's status names (maasserver/enum.py NODE_STATUS_CHOICES) that Drydock's ConfigureHardware branches on.
const START = new Set(['New', 'Broken', 'Failed commissioning', 'Failed testing']);
const UNDER_WAY = new Set(['Commissioning', 'Testing']);
const PAST = new Set(['Ready', 'Allocated', 'Deploying', 'Deployed']);

const waiting = (systemId: string, since: number, status: string, settings: CommissionSettings): Progress => ({
  state: 'pending',
  detail: `commissioning in MAAS (${systemId}: ${status})`,
  retryAfterMs: settings.pollMs,
  memo: { systemId, since },
});

/**
 * Drydock's ConfigureHardware as bounded calls: the first finds the machine
 * and starts commissioning where its status asks for it; later calls read
 * the machine once each until it is Ready, Failed, or out of time. Drydock
 * sleeps in a worker for up to 30 minutes per node, and reports a machine
 * that is already commissioning as done at once, before MAAS has finished;
 * here that machine is waited for like one it started.
 */
export async function commissionStep(
  client: MaasClient,
  node: BaremetalNode,
  memo: DriverMemo | undefined,
  settings: CommissionSettings,
  now: number,
): Promise<Progress> {
  if (typeof memo?.systemId === 'string' && typeof memo.since === 'number') {
    const machine = await client.json<MaasMachine>({ method: 'GET', path: `machines/${encodeURIComponent(memo.systemId)}/` });
    const status = machine.status_name ?? 'Unknown';
    if (status === 'Ready') return { state: 'done', detail: `node ${node.name} commissioned (${memo.systemId})` };
    if (status.startsWith('Failed')) return { state: 'failed', reason: `node ${node.name} failed commissioning in MAAS: ${status}` };
    if (now - memo.since >= settings.timeoutMs) {
      return { state: 'failed', reason: `node ${node.name} still ${status} in MAAS after ${Math.round(settings.timeoutMs / 60_000)} min (MAAS_COMMISSION_TIMEOUT_MINUTES)` };
    }
    return waiting(memo.systemId, memo.since, status, settings);
  }
  const found = await findNode(client, node, true);
  if (!found) return { state: 'failed', reason: `node ${node.name} was not found in MAAS` };
  if (found.kind === 'rackcontrollers') return { state: 'done', detail: `node ${node.name} is a MAAS rack controller; not commissioned` };
  const { system_id: systemId } = found.machine;
  const status = found.machine.status_name ?? 'Unknown';
  if (PAST.has(status)) return { state: 'done', detail: `node ${node.name} already commissioned (${status})` };
  if (UNDER_WAY.has(status)) return waiting(systemId, now, status, settings);
  if (!START.has(status)) return { state: 'failed', reason: `node ${node.name} is ${status} in MAAS, a status commissioning cannot start from` };
  await client.json({
    method: 'POST',
    path: `machines/${encodeURIComponent(systemId)}/`,
    op: 'commission',
    params: settings.skipBmcConfig ? { skip_bmc_config: 1 } : undefined,
  });
  return waiting(systemId, now, 'Commissioning', settings);
}
