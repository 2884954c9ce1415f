import { SiteMismatch } from '../agent/agent.ts';
import { TokenRefused } from '../agent/edge-client.ts';
import { prepareAgent } from './agent-local.ts';
import { describeStartupError } from './startup-error.ts';

/** Exit codes of `npm run agent`: 1 start-up failure or crash, 2 a token of another site, 3 a refused token. */
export const EXIT = { failure: 1, otherSite: 2, tokenRefused: 3 } as const;

export interface ProcessHooks {
  exit(code: number): never;
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
}

/**
 * The agent process on Node and Deno: run until a signal, or until the edge
 * refuses the token (one line on stderr, exit 3: an operator or a service
 * manager sees why at once and does not restart it in a loop).
 */
export async function agentMain(env: Record<string, string | undefined>, hooks: ProcessHooks): Promise<never> {
  let local: Awaited<ReturnType<typeof prepareAgent>>;
  try {
    local = await prepareAgent(env);
  } catch (err) {
    console.error(describeStartupError(err));
    return hooks.exit(EXIT.failure);
  }
  const { agent, logger } = local;
  let stopped = false;
  const stop = (signal: string) => {
    if (stopped) return;
    stopped = true;
    logger.info('stopping: finishing the calls being run', { signal });
    agent.stop();
    // A driver call cannot be interrupted; its lease expires and another agent runs it.
    setTimeout(() => hooks.exit(0), 10_000);
  };
  hooks.onSignal('SIGINT', () => stop('SIGINT'));
  hooks.onSignal('SIGTERM', () => stop('SIGTERM'));
  let code = 0;
  try {
    await agent.run();
  } catch (err) {
    if (err instanceof TokenRefused) {
      console.error(err.message);
      code = EXIT.tokenRefused;
    } else if (err instanceof SiteMismatch) {
      console.error(err.message);
      code = EXIT.otherSite;
    } else {
      console.error(`agent failed: ${err instanceof Error ? err.message : String(err)}`);
      code = EXIT.failure;
    }
  }
  await local.close().catch(() => {});
  return hooks.exit(code);
}
