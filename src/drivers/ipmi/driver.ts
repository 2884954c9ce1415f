import type { Config } from '../../core/config.ts';
import type { BaremetalNode } from '../../design/model.ts';
import type { DriverAction } from '../actions.ts';
import { bmcAddressOf, bmcLoginOf, bmcProblems } from '../oob/bmc-address.ts';
import type { CommandRunner } from '../oob/command.ts';
import { failureOf } from '../oob/failure.ts';
import { OobError } from '../oob/oob-error.ts';
import { powerStep, type PowerAction } from '../oob/power-flow.ts';
import type { DriverContext, DriverMemo, OobDriver, Progress } from '../types.ts';
import { setPxeOnce } from './boot.ts';
import { interrogate } from './interrogate.ts';
import { ipmitoolFor, missingToolMessage, type Ipmitool, type IpmitoolSettings } from './ipmitool.ts';
import { ipmiPower } from './power.ts';

const ACTIONS: ReadonlySet<DriverAction> = new Set<DriverAction>([
  'validate_oob_services',
  'set_node_boot',
  'power_off_node',
  'power_on_node',
  'power_cycle_node',
  'interrogate_oob',
]);

export interface IpmiOptions {
  /** Node/Deno's command runner; absent (Workers), every call fails clearly. */
  runner?: CommandRunner;
}

export const NO_RUNNER =
  'this runtime cannot run ipmitool (no command runner: Workers has no processes and no UDP); ' +
  'run this service on Node or Deno inside the site for ipmi nodes';

/** ipmi:// plus the BMC's address, as failures name it (623 when oob.port is not set). */
const bmcName = (host: string, port: number | null) => `ipmi://${host.includes(':') ? `[${host}]` : host}:${port ?? 623}`;

const settingsOf = (config: Config): IpmitoolSettings => ({
  program: config.IPMITOOL_PATH,
  timeoutMs: config.OOB_REQUEST_TIMEOUT_MS,
  cipherSuite: config.IPMI_CIPHER_SUITE,
});

/**
 * Drydock's ValidateOobServices says "OOB does not require services"; here
 * ipmitool must be there, and each ipmi node must have a BMC address and a
 * login, so a design mistake shows before the first power action.
 */
async function validateSite(ctx: DriverContext, runner: CommandRunner | undefined, oobTypes: readonly string[]): Promise<Progress> {
  if (!runner) return { state: 'failed', reason: NO_RUNNER };
  const problems: string[] = [];
  const tool = await runner.which(ctx.config.IPMITOOL_PATH);
  if (!tool) problems.push(missingToolMessage(ctx.config.IPMITOOL_PATH));
  problems.push(...bmcProblems(ctx.site, oobTypes));
  if (problems.length > 0) return { state: 'failed', reason: problems.join('; ') };
  return { state: 'done', detail: `ipmitool at ${tool}; every ipmi node has a BMC address and a login` };
}

async function act(ctx: DriverContext, ipmitool: Ipmitool, action: DriverAction, memo?: DriverMemo): Promise<Progress> {
  const polling = { pollMs: ctx.config.OOB_POWER_POLL_MS, maxPolls: ctx.config.OOB_POWER_MAX_POLLS };
  switch (action) {
    case 'set_node_boot':
      return setPxeOnce(ipmitool);
    case 'power_on_node':
    case 'power_off_node':
    case 'power_cycle_node':
      return powerStep(ipmiPower(ipmitool), action satisfies PowerAction, memo, polling);
    case 'interrogate_oob':
      return { state: 'done', detail: await interrogate(ipmitool) };
    default:
      throw new OobError(`the ipmi driver does not carry out ${action}`);
  }
}

/**
 * Drydock's pyghmi_driver: nodes of `oob.type: ipmi`, through ipmitool over
 * IPMI v2.0 (lanplus), one short session per ipmitool run, and power
 * actions that poll the chassis across calls instead of sleeping in a
 * worker (Drydock retries a failed session 5 times, 15 s apart, per call).
 */
export function createIpmiOobDriver(options: IpmiOptions = {}): OobDriver {
  const oobTypes = ['ipmi'] as const;
  const { runner } = options;
  return {
    name: 'ipmi',
    oobTypes,
    actions: ACTIONS,
    async run(ctx, action, node: BaremetalNode | null, memo) {
      if (action === 'validate_oob_services') return validateSite(ctx, runner, oobTypes);
      if (!ACTIONS.has(action)) return { state: 'failed', reason: `The ipmi OOB driver does not carry out ${action}.` };
      if (!node) return { state: 'failed', reason: `${action} acts on a node, and none was given.` };
      const secret = node.oob.credential;
      let bmc: string | null = null;
      try {
        const address = bmcAddressOf(node);
        bmc = bmcName(address.host, address.port);
        if (!runner) throw new OobError(NO_RUNNER);
        const login = bmcLoginOf(node);
        const ipmitool = ipmitoolFor(runner, settingsOf(ctx.config), { host: address.host, port: address.port, ...login });
        return await act(ctx, ipmitool, action, memo);
      } catch (err) {
        const failed = failureOf(node.name, bmc, err, [secret]);
        ctx.logger.warn('ipmi call failed', { node: node.name, action, reason: failed.reason });
        return failed;
      }
    },
    async health(ctx) {
      if (!runner) throw new Error(`ipmi OOB driver enabled, but ${NO_RUNNER}`);
      const tool = await runner.which(ctx.config.IPMITOOL_PATH);
      if (!tool) throw new Error(`ipmi OOB driver enabled, but ${missingToolMessage(ctx.config.IPMITOOL_PATH)}`);
      return `ipmi OOB driver enabled: ipmitool at ${tool}; each node's BMC is reached when a task acts on it`;
    },
  };
}
