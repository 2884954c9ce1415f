import { OobError } from '../oob/oob-error.ts';
import type { PowerControl } from '../oob/power-flow.ts';
import { linkOf, type Json, type RedfishHttp } from './http.ts';

/**
 * The BMC's one ComputerSystem. Drydock checks Members@odata.count != 1 and
 * says "more than one" even for none; here either case says what it found.
 */
export async function onlySystem(http: RedfishHttp, root: Json): Promise<string> {
  const collection = linkOf(root.Systems);
  if (!collection) throw new OobError('the service root has no Systems collection');
  const { body } = await http.get(collection);
  const members = Array.isArray(body.Members) ? body.Members.map(linkOf).filter((m): m is string => m !== null) : [];
  if (members.length === 1) return members[0] as string;
  if (members.length === 0) throw new OobError(`the BMC lists no system in ${collection}`);
  throw new OobError(
    `the BMC lists ${members.length} systems (${members.slice(0, 5).join(', ')}${members.length > 5 ? ', …' : ''}); ` +
      'a node is one machine, so its BMC must manage exactly one',
  );
}

// Preferred reset types per target, Drydock's first (On, ForceOff), then
// what a BMC that lacks it allows (DSP2046 ResetType values).
const POWER_ON = ['On', 'ForceOn', 'PushPowerButton'];
const POWER_OFF = ['ForceOff', 'GracefulShutdown', 'PushPowerButton'];

interface ResetAction {
  target: string;
  /** null: the BMC does not say; Drydock's types are tried. */
  allowed: string[] | null;
}

async function resetActionOf(http: RedfishHttp, systemPath: string, system: Json): Promise<ResetAction> {
  const reset = (system.Actions as Json | undefined)?.['#ComputerSystem.Reset'] as Json | undefined;
  if (!reset) throw new OobError(`the system ${systemPath} offers no #ComputerSystem.Reset action`);
  const target = typeof reset.target === 'string' ? reset.target : `${systemPath.replace(/\/$/, '')}/Actions/ComputerSystem.Reset`;
  const inline = reset['ResetType@Redfish.AllowableValues'];
  if (Array.isArray(inline)) return { target, allowed: inline.filter((x): x is string => typeof x === 'string') };
  const infoPath = reset['@Redfish.ActionInfo'];
  if (typeof infoPath === 'string') {
    const { body: info } = await http.get(infoPath);
    const param = Array.isArray(info.Parameters) ? (info.Parameters as Json[]).find((p) => p?.Name === 'ResetType') : undefined;
    if (Array.isArray(param?.AllowableValues)) return { target, allowed: param.AllowableValues.filter((x): x is string => typeof x === 'string') };
  }
  return { target, allowed: null };
}

function pick(action: ResetAction, preferred: string[], what: string): string {
  if (action.allowed === null) return preferred[0] as string;
  const found = preferred.find((t) => action.allowed?.includes(t));
  if (!found) throw new OobError(`the BMC allows reset types ${action.allowed.join(', ') || '(none)'}, none of which powers ${what} (${preferred.join(', ')})`);
  return found;
}

/** The system's PowerState and its ComputerSystem.Reset, as the shared power flow's switch. */
export function redfishPower(http: RedfishHttp, systemPath: string): PowerControl {
  const reset = async (preferred: string[], what: string) => {
    const { body } = await http.get(systemPath);
    const action = await resetActionOf(http, systemPath, body);
    // DSP0266 §7.10: an action answers 200 (with a body), 202 (a task) or 204; Drydock also took 201.
    await http.expect('POST', action.target, [200, 201, 202, 204], { ResetType: pick(action, preferred, what) });
  };
  return {
    async read() {
      const { body } = await http.get(systemPath);
      return typeof body.PowerState === 'string' ? body.PowerState : 'no PowerState';
    },
    isOn: (state) => state === 'On',
    isOff: (state) => state === 'Off',
    powerOn: () => reset(POWER_ON, 'on'),
    powerOff: () => reset(POWER_OFF, 'off'),
  };
}
