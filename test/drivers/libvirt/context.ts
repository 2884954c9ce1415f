import { loadConfig } from '../../../src/core/config.ts';
import { createLogger } from '../../../src/core/log.ts';
import type { BaremetalNode } from '../../../src/design/model.ts';
import type { DriverAction } from '../../../src/drivers/actions.ts';
import { createLibvirtOobDriver } from '../../../src/drivers/libvirt/driver.ts';
import type { CommandOptions, CommandRunner } from '../../../src/drivers/oob/command.ts';
import type { DriverContext, Progress } from '../../../src/drivers/types.ts';
import { createCommandRunner } from '../../../src/runtime/command-runner.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';
import { untilSettled } from '../until-settled.ts';

export const CREDENTIAL = 'libvirt-credential-1';

/** A node of `oob.type: libvirt` whose domain (its name) lives on the hypervisor at `uri`. */
export function libvirtNode(name: string, uri: unknown, oob: Record<string, unknown> = {}): BaremetalNode {
  const params: Record<string, unknown> = { type: 'libvirt', libvirt_uri: uri, credential: CREDENTIAL, ...oob };
  return makeNode(name, {
    oob: { type: 'libvirt', network: null, account: null, credential: (params.credential as string | null) ?? null, params },
  });
}

export interface RecordedCall {
  file: string;
  args: readonly string[];
  options: CommandOptions;
}

/** The real runner, recording every command line (to check what `ps` would show). */
export function recordingRunner(): CommandRunner & { calls: RecordedCall[] } {
  const real = createCommandRunner();
  const calls: RecordedCall[] = [];
  return {
    calls,
    run(file, args, options) {
      calls.push({ file, args, options });
      return real.run(file, args, options);
    },
    which: (file) => real.which(file),
  };
}

/** What the orchestrator hands a driver call; withoutRunner: a runtime that has none (Workers). */
export function contextFor(nodes: BaremetalNode[], env: Record<string, string> = {}, opts: { withoutRunner?: boolean } = {}) {
  const runner = opts.withoutRunner ? null : recordingRunner();
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  const config = loadConfig({ AUTH_MODE: 'none', OOB_DRIVER: 'libvirt', OOB_POWER_POLL_MS: '50', OOB_POWER_MAX_POLLS: '20', OOB_REQUEST_TIMEOUT_MS: '5000', ...env });
  const ctx: DriverContext = {
    db: undefined as never, // the libvirt driver keeps nothing in the database
    config,
    clock: () => new Date(),
    fetch,
    logger,
    site: siteOf({ nodes }),
    taskId: 'task-1',
    designRef: 'test',
  };
  const driver = createLibvirtOobDriver({ runner: runner ?? undefined });
  /** Calls as the orchestrator does: again after each `pending`, its memo handed back, until done or failed. */
  const until = async (action: DriverAction, node: BaremetalNode, limit = 50): Promise<Progress> =>
    (await untilSettled(driver, ctx, action, node, { limit })).answer;
  return { ctx, driver, lines, until, runner };
}
