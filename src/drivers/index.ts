import type { Config } from '../core/config.ts';
import type { SecretBox } from '../core/secret-box.ts';
import { createFakeNodeDriver } from './fake/node-driver.ts';
import { createFakeOobDriver, FAKE_OOB_TYPES } from './fake/oob-driver.ts';
import { createIpmiOobDriver } from './ipmi/driver.ts';
import { createKubernetesDriver } from './kubernetes/driver.ts';
import { createPromenadeDriver } from './kubernetes/promenade.ts';
import { createLibvirtOobDriver } from './libvirt/driver.ts';
import { createMaasNodeDriver } from './maas/driver.ts';
import { maasSettingsOf } from './maas/settings.ts';
import { createManualOobDriver } from './manual/oob-driver.ts';
import { createRedfishOobDriver } from './redfish/driver.ts';
import type { CallWakeups } from './remote/call-wakeups.ts';
import { atSiteAgents } from './remote/remote-drivers.ts';
import type { CommandRunner } from './oob/command.ts';
import type { Drivers, KubernetesDriver, NodeDriver, OobDriver } from './types.ts';

function nodeDriver(config: Config): NodeDriver {
  switch (config.NODE_DRIVER) {
    case 'fake':
      return createFakeNodeDriver();
    case 'maas':
      return createMaasNodeDriver(maasSettingsOf(config));
  }
}

/** What a runtime hands the drivers beyond the config (e.g. a TLS-aware fetch for BMCs). */
export interface DriverRuntime {
  /** The fetch for Redfish BMCs (REDFISH_CA_FILE, REDFISH_VERIFY_TLS); absent, the call's fetch. */
  redfishFetch?: typeof fetch;
  /** Node/Deno: runs ipmitool and virsh for the ipmi and libvirt drivers; absent on Workers. */
  commandRunner?: CommandRunner;
  /** Node/Deno: the fetch for the API server or Promenade trusting KUBERNETES_CA_FILE; absent, the call's fetch. */
  kubernetesFetch?: typeof fetch;
  /** The service's Keystone token, when Keystone is configured (the promenade driver sends it). */
  serviceToken?: () => Promise<string>;
  forgetServiceToken?: (token: string) => void;
  /** Seals what a site agent's call carries that must not sit in a row in clear (a node's boot action key). */
  box?: SecretBox;
  /** Told when a call is queued for a site's agent, to wake its waiting lease (Node/Deno). */
  callWakeups?: CallWakeups;
}

function kubernetesDriver(config: Config, runtime: DriverRuntime): KubernetesDriver | null {
  switch (config.KUBERNETES_DRIVER) {
    case 'kubernetes':
      return createKubernetesDriver({ fetch: runtime.kubernetesFetch });
    case 'promenade':
      return createPromenadeDriver({
        fetch: runtime.kubernetesFetch,
        serviceToken: runtime.serviceToken,
        forgetServiceToken: runtime.forgetServiceToken,
      });
    case 'none':
      return null;
  }
}

/**
 * The enabled drivers, from NODE_DRIVER, OOB_DRIVER (in its order, each
 * once) and KUBERNETES_DRIVER. The drivers are stateless, so building them
 * per process (or per isolate) is cheap and every instance acts alike.
 */
export function createDrivers(config: Config, runtime: DriverRuntime = {}): Drivers {
  const names = [...new Set(config.OOB_DRIVER)];
  // The fake lab serves whichever OOB types no other enabled driver claims.
  const claimed = new Set(names.filter((n) => n !== 'fake'));
  const oob: OobDriver[] = names.map((name) => {
    switch (name) {
      case 'manual':
        return createManualOobDriver();
      case 'redfish':
        return createRedfishOobDriver({ fetch: runtime.redfishFetch });
      case 'libvirt':
        return createLibvirtOobDriver({ runner: runtime.commandRunner });
      case 'ipmi':
        return createIpmiOobDriver({ runner: runtime.commandRunner });
      default:
        // config.ts admits only the shipped names, so the rest is `fake`.
        return createFakeOobDriver(FAKE_OOB_TYPES.filter((t) => !claimed.has(t)));
    }
  });
  const drivers = { node: nodeDriver(config), oob, kubernetes: kubernetesDriver(config, runtime) };
  return config.DRIVER_LOCATION === 'agent' ? atSiteAgents(drivers, config, { box: runtime.box, wakeups: runtime.callWakeups }) : drivers;
}
