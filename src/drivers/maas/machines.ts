import type { MachineSummary } from '../types.ts';
import type { MaasClient } from './client.ts';

/** The fields of MAAS's machine document this service reads. */
export interface MaasMachine {
  system_id: string;
  hostname: string;
  memory?: number | null;
  cpu_count?: number | null;
  status_name?: string;
  power_state?: string | null;
  boot_interface?: { mac_address?: string; links?: Array<{ ip_address?: string | null }> } | null;
}

function summaryOf(machine: MaasMachine, power: Record<string, { power_address?: string } | undefined>): MachineSummary {
  const boot = machine.boot_interface ?? null;
  return {
    hostname: machine.hostname,
    memory: machine.memory ?? null,
    cpu_count: machine.cpu_count ?? null,
    status_name: machine.status_name ?? 'Unknown',
    boot_mac: boot?.mac_address ?? null,
    power_state: machine.power_state ?? null,
    power_address: power[machine.system_id]?.power_address ?? null,
    boot_ip: boot?.links?.[0]?.ip_address ?? null,
  };
}

/**
 * GET /nodes as Drydock answers it, in two calls: the machine list and
 * every machine's power parameters at once (`machines/?op=power_parameters`),
 * where Drydock asks each machine for its own (N + 1 calls).
 */
export async function listMaasMachines(client: MaasClient, hostname?: string): Promise<MachineSummary[]> {
  const params = hostname ? { hostname } : undefined;
  const machines = await client.json<MaasMachine[]>({ method: 'GET', path: 'machines/', params });
  if (!Array.isArray(machines) || machines.length === 0) return [];
  const ids = hostname ? { id: machines.map((m) => m.system_id) } : undefined;
  const power = await client.json<Record<string, { power_address?: string }>>({ method: 'GET', path: 'machines/', op: 'power_parameters', params: ids });
  return machines.map((m) => summaryOf(m, power ?? {}));
}
