import type { DriverContext, Drivers, NodeDriver } from '../drivers/types.ts';
import type { HealthProbe } from './context.ts';

export type ProbeContext = Omit<DriverContext, 'site' | 'taskId' | 'designRef'>;

/**
 * One /health/extended probe per enabled driver, each asking the driver's
 * own health(): in-process drivers answer at once, drivers with a backend
 * (MAAS, BMCs, Kubernetes) check that they can reach it.
 */
export function driverProbes(drivers: Drivers, ctx: ProbeContext): HealthProbe[] {
  const probe = (kind: string, driver: Pick<NodeDriver, 'name' | 'health'>): HealthProbe => ({
    name: `${kind} driver ${driver.name}`,
    check: () => driver.health(ctx),
  });
  const probes = [probe('node', drivers.node)];
  for (const oob of drivers.oob) probes.push(probe('oob', oob));
  if (drivers.kubernetes) probes.push(probe('kubernetes', drivers.kubernetes));
  return probes;
}
