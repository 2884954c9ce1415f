import type { Config } from '../config.ts';
import type { HealthProbe } from './types.ts';

/**
 * One health probe per enabled driver. The drivers available so far run
 * in-process (the fake lab, the manual OOB driver that leaves power to an
 * operator), so there is no remote endpoint to reach; drivers that talk to
 * MAAS or a BMC add a real reachability check when they are added.
 */
export function driverProbes(config: Config): HealthProbe[] {
  const inProcess = (kind: string, name: string): HealthProbe => ({
    name: `${kind} driver ${name}`,
    async check() {
      return `${kind} driver ${name} is in-process and ready`;
    },
  });
  const probes = [inProcess('node', config.NODE_DRIVER)];
  for (const oob of config.OOB_DRIVER) probes.push(inProcess('oob', oob));
  if (config.KUBERNETES_DRIVER !== 'none') probes.push(inProcess('kubernetes', config.KUBERNETES_DRIVER));
  return probes;
}
