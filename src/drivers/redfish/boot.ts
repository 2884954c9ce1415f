import type { PollSettings } from '../oob/power-flow.ts';
import type { DriverMemo, Progress } from '../types.ts';
import { OobError } from '../oob/oob-error.ts';
import type { Json, RedfishHttp } from './http.ts';

export const PXE_ONCE = { BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'Pxe' } as const;

const isPxeOnce = (boot: Json | undefined) =>
  boot?.BootSourceOverrideEnabled === PXE_ONCE.BootSourceOverrideEnabled && boot?.BootSourceOverrideTarget === PXE_ONCE.BootSourceOverrideTarget;

const describe = (boot: Json | undefined) =>
  `BootSourceOverrideEnabled ${String(boot?.BootSourceOverrideEnabled ?? 'absent')}, BootSourceOverrideTarget ${String(boot?.BootSourceOverrideTarget ?? 'absent')}`;

/**
 * set_node_boot: the next boot, once, from the network. Drydock reads only
 * BootSourceOverrideTarget, so a Pxe override already used up (Enabled back
 * to Disabled) passes without a PATCH; here both fields are checked, before
 * and after. The PATCH may answer 200, 202 or 204 (DSP0266 §7.8; Drydock
 * takes only 200), carries If-Match when the BMC gave an ETag, and is read
 * back: a BMC that answered 200 or 204 but does not show it fails; after a
 * 202 (accepted, applied later) it is read again at each poll.
 */
export async function setPxeOnce(http: RedfishHttp, systemPath: string, memo: DriverMemo | undefined, settings: PollSettings): Promise<Progress> {
  const { body, etag } = await http.get(systemPath);
  const boot = body.Boot as Json | undefined;
  if (memo?.boot === 'accepted' && typeof memo.polls === 'number') {
    if (isPxeOnce(boot)) return { state: 'done', detail: 'the next boot, once, is from the network (read back: Once, Pxe)' };
    const polls = memo.polls + 1;
    if (polls >= settings.maxPolls) {
      throw new OobError(`the BMC accepted the boot override (HTTP 202) but after ${settings.maxPolls} polls still reads back ${describe(boot)}`);
    }
    return { state: 'pending', detail: `waiting for the boot override to apply (poll ${polls} of ${settings.maxPolls})`, retryAfterMs: settings.pollMs, memo: { boot: 'accepted', polls } };
  }
  if (isPxeOnce(boot)) return { state: 'done', detail: 'the next boot is already from the network (Once, Pxe)' };
  const allowed = boot?.['BootSourceOverrideTarget@Redfish.AllowableValues'];
  if (Array.isArray(allowed) && !allowed.includes('Pxe')) {
    throw new OobError(`the system does not allow a Pxe boot override (allowed: ${allowed.join(', ')})`);
  }
  const patched = await http.expect('PATCH', systemPath, [200, 202, 204], { Boot: PXE_ONCE }, etag ? { 'If-Match': etag } : {});
  const { body: after } = await http.get(systemPath);
  const now = after.Boot as Json | undefined;
  if (isPxeOnce(now)) return { state: 'done', detail: 'the next boot, once, is from the network (read back: Once, Pxe)' };
  if (patched.status === 202) {
    return { state: 'pending', detail: 'the BMC accepted the boot override (HTTP 202); waiting for it to apply', retryAfterMs: settings.pollMs, memo: { boot: 'accepted', polls: 0 } };
  }
  throw new OobError(`the BMC accepted the boot override (HTTP ${patched.status}) but reads back ${describe(now)}`);
}

/** What interrogate_oob reports: the power state and what the BMC tells about the system. */
export function systemSummary(system: Json): string {
  const fields = ['Manufacturer', 'Model', 'SKU', 'SerialNumber', 'BiosVersion', 'UUID', 'HostName'];
  const parts = [`powerstate ${String(system.PowerState ?? 'unknown')}`];
  for (const f of fields) if (typeof system[f] === 'string' && system[f] !== '') parts.push(`${f} ${system[f] as string}`);
  const memory = (system.MemorySummary as Json | undefined)?.TotalSystemMemoryGiB;
  if (typeof memory === 'number') parts.push(`memory ${memory} GiB`);
  const cpus = (system.ProcessorSummary as Json | undefined)?.Count;
  if (typeof cpus === 'number') parts.push(`processors ${cpus}`);
  const health = (system.Status as Json | undefined)?.Health;
  if (typeof health === 'string') parts.push(`health ${health}`);
  const boot = system.Boot as Json | undefined;
  if (boot) parts.push(`boot override ${String(boot.BootSourceOverrideEnabled ?? '?')}/${String(boot.BootSourceOverrideTarget ?? '?')}`);
  return `Redfish interface interrogation yielded ${parts.join('; ')}`;
}
