import { loadConfig } from '../../../src/core/config.ts';
import { createLogger } from '../../../src/core/log.ts';
import type { BaremetalNode } from '../../../src/design/model.ts';
import type { DriverAction } from '../../../src/drivers/actions.ts';
import { createIpmiOobDriver } from '../../../src/drivers/ipmi/driver.ts';
import type { CommandOptions, CommandRunner } from '../../../src/drivers/oob/command.ts';
import type { DriverContext } from '../../../src/drivers/types.ts';
import { createCommandRunner } from '../../../src/runtime/command-runner.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';
import { untilSettled } from '../until-settled.ts';

export interface RecordedRun {
  file: string;
  args: readonly string[];
  env: Record<string, string>;
}

/** The runtime's runner, keeping what each run was given (argv is what `ps` would show). */
export function recordingRunner(inner: CommandRunner = createCommandRunner()): CommandRunner & { runs: RecordedRun[] } {
  const runs: RecordedRun[] = [];
  return {
    runs,
    run(file: string, args: readonly string[], options: CommandOptions) {
      runs.push({ file, args: [...args], env: { ...options.env } });
      return inner.run(file, args, options);
    },
    which: (file: string) => inner.which(file),
  };
}

/** A node whose BMC is the simulator: 127.0.0.1 on its oob network, the sim's port and login. */
export function nodeOf(name: string, bmc: { port: number; account: string; credential: string }, oob: Record<string, unknown> = {}): BaremetalNode {
  const params = { type: 'ipmi', network: 'oob', account: bmc.account, credential: bmc.credential, port: bmc.port, ...oob };
  return makeNode(name, {
    oob: {
      type: 'ipmi',
      network: (params.network as string | null) ?? null,
      account: (params.account as string | null) ?? null,
      credential: (params.credential as string | null) ?? null,
      params,
    },
    addressing: [{ network: 'oob', type: 'static', address: '127.0.0.1' }],
  });
}

/** What the orchestrator hands a driver call; `runner: null` plays Workers (no runner). */
export function contextFor(nodes: BaremetalNode[], env: Record<string, string> = {}, runner: CommandRunner | null = recordingRunner()) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  const config = loadConfig({ AUTH_MODE: 'none', OOB_DRIVER: 'ipmi', OOB_POWER_POLL_MS: '50', OOB_POWER_MAX_POLLS: '40', OOB_REQUEST_TIMEOUT_MS: '3000', ...env });
  const ctx: DriverContext = {
    db: undefined as never, // the ipmi driver keeps nothing in the database
    config,
    clock: () => new Date(),
    fetch,
    logger,
    site: siteOf({ nodes }),
    taskId: 'task-1',
    designRef: 'test',
  };
  const driver = createIpmiOobDriver({ runner: runner ?? undefined });
  /** Calls as the orchestrator does: again after each `pending`, its memo handed back, until done or failed. */
  const until = (action: DriverAction, node: BaremetalNode, limit = 100) => untilSettled(driver, ctx, action, node, { limit });
  return { ctx, driver, lines, until };
}
