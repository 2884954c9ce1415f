import type { Config } from '../core/config.ts';
import { createFakeNodeDriver } from './fake/node-driver.ts';
import { createFakeOobDriver, FAKE_OOB_TYPES } from './fake/oob-driver.ts';
import { createManualOobDriver } from './manual/oob-driver.ts';
import type { Drivers, NodeDriver, OobDriver } from './types.ts';

function nodeDriver(config: Config): NodeDriver {
  switch (config.NODE_DRIVER) {
    case 'fake':
      return createFakeNodeDriver();
  }
}

/**
 * The enabled drivers, from NODE_DRIVER, OOB_DRIVER (in its order, each
 * once) and KUBERNETES_DRIVER. The drivers are stateless, so building them
 * per process (or per isolate) is cheap and every instance acts alike.
 */
export function createDrivers(config: Config): Drivers {
  const names = [...new Set(config.OOB_DRIVER)];
  // The fake lab serves whichever OOB types no other enabled driver claims.
  const claimed = new Set(names.includes('manual') ? ['manual'] : []);
  const oob: OobDriver[] = names.map((name) =>
    name === 'manual' ? createManualOobDriver() : createFakeOobDriver(FAKE_OOB_TYPES.filter((t) => !claimed.has(t))),
  );
  return { node: nodeDriver(config), oob, kubernetes: null };
}
