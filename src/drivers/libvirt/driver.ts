import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import type { CommandRunner } from '../oob/command.ts';
import { failureOf } from '../oob/failure.ts';
import { OobError } from '../oob/oob-error.ts';
import { powerStep, type PowerAction } from '../oob/power-flow.ts';
import type { DriverContext, DriverMemo, OobDriver, Progress } from '../types.ts';
import { bootOrderOf, setNetworkBootFirst } from './boot.ts';
import { libvirtPower } from './power.ts';
import { libvirtTargetOf } from './uri.ts';
import { missingVirsh, virshFor, type Virsh } from './virsh.ts';

const ACTIONS: ReadonlySet<DriverAction> = new Set<DriverAction>([
  'validate_oob_services',
  'set_node_boot',
  'power_off_node',
  'power_on_node',
  'power_cycle_node',
  'interrogate_oob',
]);

export interface LibvirtOptions {
  /** The runtime's command runner (Node/Deno); absent on Workers, where every call fails clearly. */
  runner?: CommandRunner;
}

const NO_RUNNER = 'the libvirt driver runs virsh, and this runtime cannot run programs (Cloudflare Workers); run the service on Node or Deno';

/**
 * Drydock's ValidateOobServices says "OOB does not require services"; here
 * it checks that virsh is present and each libvirt node has a usable
 * libvirt_uri, so a mistake shows before the first power action.
 */
async function validateSite(site: SiteModel, ctx: DriverContext, runner: CommandRunner | undefined, oobTypes: readonly string[]): Promise<Progress> {
  if (!runner) return { state: 'failed', reason: NO_RUNNER };
  const problems: string[] = [];
  if (!(await runner.which(ctx.config.VIRSH_PATH))) problems.push(missingVirsh(ctx.config.VIRSH_PATH));
  for (const node of site.nodes.values()) {
    if (!oobTypes.includes(node.oob.type ?? '')) continue;
    try {
      libvirtTargetOf(node);
    } catch (err) {
      problems.push(failureOf(node.name, null, err, [node.oob.credential]).reason);
    }
  }
  if (problems.length > 0) return { state: 'failed', reason: problems.join('; ') };
  return { state: 'done', detail: 'virsh is present and every libvirt node has a libvirt_uri' };
}

/** What interrogate_oob reports: the domain's state, `virsh dominfo`'s fields and its boot order. */
async function interrogate(virsh: Virsh, domain: string): Promise<Progress> {
  const state = (await virsh.run(['domstate', '--domain', domain])).trim();
  const info = (await virsh.run(['dominfo', '--domain', domain]))
    .split('\n')
    .map((line) => /^([^:]+):\s*(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null && m[2] !== '' && m[1] !== 'Name' && m[1] !== 'State')
    .map((m) => `${m[1]} ${m[2]}`);
  const boot = bootOrderOf(await virsh.run(['dumpxml', '--inactive', '--domain', domain]));
  const parts = [`state ${state}`, ...info, `boot order ${boot.join(', ') || 'unset'}`];
  return { state: 'done', detail: `libvirt domain ${domain} interrogation yielded ${parts.join('; ')}` };
}

async function act(ctx: DriverContext, virsh: Virsh, domain: string, action: DriverAction, memo?: DriverMemo): Promise<Progress> {
  const polling = { pollMs: ctx.config.OOB_POWER_POLL_MS, maxPolls: ctx.config.OOB_POWER_MAX_POLLS };
  switch (action) {
    case 'set_node_boot':
      return setNetworkBootFirst(virsh, domain);
    case 'power_on_node':
    case 'power_off_node':
    case 'power_cycle_node':
      return powerStep(libvirtPower(virsh, domain), action satisfies PowerAction, memo, polling);
    case 'interrogate_oob':
      return interrogate(virsh, domain);
    default:
      throw new OobError(`the libvirt driver does not carry out ${action}`);
  }
}

/**
 * Drydock's libvirt_driver: nodes of `oob.type: libvirt`, each the domain
 * named as the node on the hypervisor of its `oob.libvirt_uri`, driven by
 * one virsh per call. Like Drydock, it authenticates with what the URI's
 * transport brings (ssh keys of the service's user, or the URI's keyfile=);
 * oob.account and oob.credential are not used, only kept out of messages.
 */
export function createLibvirtOobDriver(options: LibvirtOptions = {}): OobDriver {
  const oobTypes = ['libvirt'] as const;
  const { runner } = options;
  return {
    name: 'libvirt',
    oobTypes,
    actions: ACTIONS,
    async run(ctx, action, node: BaremetalNode | null, memo) {
      if (action === 'validate_oob_services') return validateSite(ctx.site, ctx, runner, oobTypes);
      if (!ACTIONS.has(action)) return { state: 'failed', reason: `The libvirt OOB driver does not carry out ${action}.` };
      if (!node) return { state: 'failed', reason: `${action} acts on a node, and none was given.` };
      let secrets: string[] = [node.oob.credential ?? ''];
      let shown: string | null = null;
      try {
        if (!runner) throw new OobError(NO_RUNNER);
        const target = libvirtTargetOf(node);
        secrets = target.secrets;
        shown = target.shown;
        const virsh = virshFor({ runner, program: ctx.config.VIRSH_PATH, timeoutMs: ctx.config.OOB_REQUEST_TIMEOUT_MS, target });
        return await act(ctx, virsh, node.name, action, memo);
      } catch (err) {
        const failed = failureOf(node.name, shown && `libvirt ${shown}`, err, secrets);
        ctx.logger.warn('libvirt call failed', { node: node.name, action, reason: failed.reason });
        return failed;
      }
    },
    async health(ctx) {
      if (!runner) throw new Error(NO_RUNNER);
      const found = await runner.which(ctx.config.VIRSH_PATH);
      if (!found) throw new Error(`libvirt OOB driver enabled, but ${missingVirsh(ctx.config.VIRSH_PATH)}`);
      return `libvirt OOB driver enabled: virsh at ${found}; each node's hypervisor is reached when a task acts on it`;
    },
  };
}
