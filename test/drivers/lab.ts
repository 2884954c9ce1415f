import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../../src/core/config.ts';
import { fakeLabMachines } from '../../src/db/schema/fakelab.ts';
import { compileSite } from '../../src/design/compile/index.ts';
import type { SiteModel } from '../../src/design/model.ts';
import { parseDesign } from '../../src/design/parse/documents.ts';
import { createDrivers } from '../../src/drivers/index.ts';
import type { DriverContext } from '../../src/drivers/types.ts';
import type { DriverAction } from '../../src/drivers/actions.ts';
import { createLogger } from '../../src/core/log.ts';
import { memoryDatabase } from '../helpers/app.ts';

/** The shared fixture site (east-ctl01, east-cmp01, east-cmp02), compiled. */
export function fixtureSite(): SiteModel {
  const text = readFileSync(new URL('../fixtures/designs/site.yaml', import.meta.url), 'utf8');
  return compileSite(parseDesign(text).documents).site;
}

export const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

/**
 * A fake lab over a fresh database with a hand-turned clock. The step is
 * zero unless the test sets FAKE_LAB_STEP_MS.
 */
export async function openLab(options: { env?: Record<string, string>; site?: SiteModel } = {}) {
  const database = await memoryDatabase();
  let now = T0;
  const config = loadConfig({ FAKE_LAB_STEP_MS: '0', ...options.env });
  const ctx: DriverContext = {
    db: database.db,
    config,
    clock: () => new Date(now),
    fetch: () => Promise.reject(new Error('the fake lab makes no requests')),
    logger: createLogger({ level: 'error', sink: () => {} }),
    site: options.site ?? fixtureSite(),
    taskId: 'task-1',
    designRef: 'design://east-lab',
  };
  const drivers = createDrivers(config);
  const nodeOf = (name: string) => {
    const node = ctx.site.nodes.get(name);
    if (!node) throw new Error(`no node ${name} in the test site`);
    return node;
  };
  const driverFor = (action: DriverAction) => (action in OOB ? drivers.oob[0]! : drivers.node);
  return {
    ctx,
    drivers,
    database,
    nodeOf,
    advance(ms: number) {
      now += ms;
    },
    /** Runs an action on a node (or site-wide with null) through whichever driver carries it out. */
    run(action: DriverAction, name: string | null, over: Partial<DriverContext> = {}) {
      return driverFor(action).run({ ...ctx, ...over }, action, name === null ? null : nodeOf(name));
    },
    async machine(name: string) {
      const [row] = await database.db.select().from(fakeLabMachines).where(eq(fakeLabMachines.nodeName, name));
      return row;
    },
  };
}

const OOB = { set_node_boot: 1, power_cycle_node: 1, power_on_node: 1, power_off_node: 1, interrogate_oob: 1, validate_oob_services: 1 };

export type Lab = Awaited<ReturnType<typeof openLab>>;
