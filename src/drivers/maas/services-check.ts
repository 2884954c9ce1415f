import type { Progress } from '../types.ts';
import type { MaasClient } from './client.ts';

// Drydock's RackController.REQUIRED_SERVICES: each must be running, or off
// (a rack controller serving no DHCP has dhcpd off).
const RACK_SERVICES = ['http', 'dhcpd', 'rackd', 'tftp'];

interface RackController {
  system_id?: string;
  hostname?: string;
  service_set?: Array<{ name?: string; status?: string; status_info?: string }>;
}

function rackProblems(racks: RackController[]): string[] {
  const problems: string[] = [];
  let healthy = 0;
  for (const rack of racks) {
    const services = new Map((rack.service_set ?? []).map((s) => [s.name ?? '', s]));
    const bad = RACK_SERVICES.filter((name) => !['running', 'off'].includes(services.get(name)?.status ?? ''));
    if (bad.length === 0) healthy++;
    else {
      const what = bad.map((name) => `${name} ${services.get(name)?.status ?? 'missing'}${services.get(name)?.status_info ? ` (${services.get(name)!.status_info})` : ''}`);
      problems.push(`rack controller ${rack.hostname ?? rack.system_id ?? '?'} is not healthy: ${what.join(', ')}`);
    }
  }
  if (racks.length === 0) problems.push('no rack controllers are registered in MAAS');
  else if (healthy === 0) problems.push('no healthy rack controller');
  return problems;
}

/**
 * Drydock's ValidateNodeServices: MAAS answers, the key is accepted, boot
 * resources are imported (and not importing), and a rack controller runs
 * its services. Drydock reads each rack controller again for its services;
 * the list already holds service_set, so this is five calls in all.
 */
export async function checkMaasServices(client: MaasClient): Promise<Progress> {
  const version = await client.json<{ version?: string; subversion?: string }>({ method: 'GET', path: 'version/' });
  // The key's check. Drydock lists the user's authorisation tokens, whose
  // answer holds every key of the user in clear; whoami proves the same
  // without fetching secrets.
  await client.json({ method: 'GET', path: 'users/', op: 'whoami' });
  const problems: string[] = [];
  if (await client.json<boolean>({ method: 'GET', path: 'boot-resources/', op: 'is_importing' })) {
    problems.push('MAAS is still importing boot resources');
  } else {
    const resources = await client.json<unknown[]>({ method: 'GET', path: 'boot-resources/' });
    if (!Array.isArray(resources) || resources.length === 0) problems.push('MAAS has no boot resources (import images first)');
  }
  const racks = await client.json<RackController[]>({ method: 'GET', path: 'rackcontrollers/' });
  problems.push(...rackProblems(Array.isArray(racks) ? racks : []));
  if (problems.length > 0) return { state: 'failed', reason: problems.join('; ') };
  return { state: 'done', detail: `MAAS ${version?.version ?? '(version unknown)'} answers, accepts the API key, has its boot resources and a healthy rack controller` };
}
