import { loadConfig } from '../../../src/core/config.ts';
import { createLogger } from '../../../src/core/log.ts';
import type { BaremetalNode } from '../../../src/design/model.ts';
import type { DriverAction } from '../../../src/drivers/actions.ts';
import { createMaasNodeDriver, type MaasSettings } from '../../../src/drivers/maas/driver.ts';
import type { DriverContext } from '../../../src/drivers/types.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';
import type { MaasSimulator } from '../../maas/simulator.ts';
import { untilSettled } from '../until-settled.ts';

/** An ipmi node whose BMC is at `bmc` on its oob network. */
export function ipmiNode(name: string, bmc: string, over: Partial<BaremetalNode> = {}): BaremetalNode {
  return makeNode(name, {
    oob: { type: 'ipmi', network: 'oob', account: 'admin', credential: 'bmc-pass', params: { type: 'ipmi', network: 'oob' } },
    addressing: [{ network: 'oob', type: 'static', address: bmc }],
    ...over,
  });
}

/** The MAAS driver against the simulator, and a caller that plays the orchestrator (again after each pending, with its memo). */
export function maasContext(sim: Pick<MaasSimulator, 'url' | 'apiKey' | 'advance'>, nodes: BaremetalNode[], over: Partial<MaasSettings> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  let now = Date.parse('2030-01-01T00:00:00Z');
  const ctx: DriverContext = {
    db: undefined as never,
    config: loadConfig({ AUTH_MODE: 'none' }),
    clock: () => new Date(now),
    fetch,
    logger,
    site: siteOf({ nodes }),
    taskId: 'task-1',
    designRef: 'test',
  };
  const settings: MaasSettings = {
    url: sim.url,
    apiKey: sim.apiKey,
    timeoutMs: 2000,
    retries: 2,
    backoffMs: 500,
    useNodeOobParams: false,
    commission: { pollMs: 10_000, timeoutMs: 30 * 60_000, skipBmcConfig: false },
    deploy: { pollMs: 10_000, timeoutMs: 45 * 60_000 },
    destroy: { pollMs: 10_000, timeoutMs: 30 * 60_000 },
    keyDelivery: 'both',
    ...over,
  };
  const driver = createMaasNodeDriver(settings);
  /** Each pending answer moves the simulator's clock one tick and ours by the poll interval. */
  const until = (action: DriverAction, node: BaremetalNode | null, limit = 50) =>
    untilSettled(driver, ctx, action, node, {
      limit,
      onPending: (answer) => {
        now += answer.retryAfterMs ?? 10_000;
        sim.advance(1);
      },
    });
  return { ctx, driver, lines, until, advanceClock: (ms: number) => (now += ms) };
}
