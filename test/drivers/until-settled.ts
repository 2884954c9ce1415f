import type { DriverAction } from '../../src/drivers/actions.ts';
import type { BaremetalNode } from '../../src/design/model.ts';
import type { DriverContext, DriverMemo, Progress } from '../../src/drivers/types.ts';

type Runner = { run(ctx: DriverContext, action: DriverAction, node: BaremetalNode | null, memo?: DriverMemo): Promise<Progress> };

/**
 * Calls a driver as the orchestrator does: again after each `pending`, its
 * memo handed back, until done or failed. Between calls it waits the answer's
 * retryAfterMs (default 50 ms), or, given `onPending`, lets that move clocks.
 */
export async function untilSettled(
  driver: Runner,
  ctx: DriverContext,
  action: DriverAction,
  node: BaremetalNode | null,
  options: { limit?: number; onPending?: (answer: Extract<Progress, { state: 'pending' }>) => void } = {},
): Promise<{ answer: Progress; calls: number }> {
  const limit = options.limit ?? 100;
  let memo: DriverMemo | undefined;
  for (let calls = 1; calls <= limit; calls++) {
    const answer = await driver.run(ctx, action, node, memo);
    if (answer.state !== 'pending') return { answer, calls };
    memo = answer.memo;
    if (options.onPending) options.onPending(answer);
    else await new Promise((r) => setTimeout(r, answer.retryAfterMs ?? 50));
  }
  throw new Error(`${action} still pending after ${limit} calls`);
}
