import { IdSource, makeMachine, type MachineSeed, type SimMachine } from './model.ts';
import { Network } from './network.ts';
import type { SimRackInterface } from './rack.ts';

/** Everything the simulator knows; tests read it to check the peer's side. */
export interface SimTag { name: string; comment: string; definition: string; kernelOpts: string; systemIds: Set<string> }
export interface SimSshKey { id: number; key: string }
export interface SimRepo { id: number; name: string; url: string; distributions: string[]; components: string[];
  arches: string[]; key: string; enabled: boolean; disableSources: boolean }

export interface LoggedRequest {
  method: string;
  path: string;
  op: string | null;
  query: Record<string, string[]>;
  form: Record<string, string[]>;
  status: number;
}

export interface Timing {
  /** Clock ticks a commissioning takes. */
  commissionTicks: number;
  deployTicks: number;
  releaseTicks: number;
}

export class SimState {
  readonly ids = new IdSource();
  readonly network = new Network();
  readonly machines: SimMachine[] = [];
  readonly tags: SimTag[] = [];
  readonly sshKeys: SimSshKey[] = [];
  readonly rackInterfaces: SimRackInterface[] = [];
  readonly repos: SimRepo[] = [
    { id: 1, name: 'main_archive', url: 'http://archive.ubuntu.com/ubuntu', distributions: [], components: [],
      arches: ['amd64', 'i386'], key: '', enabled: true, disableSources: true },
  ];
  readonly requests: LoggedRequest[] = [];
  /** The test clock, in ticks; only `advance` moves it. */
  now = 0;
  /** Hostnames whose next commissioning / deploy ends in the Failed status. */
  readonly failCommissioning = new Set<string>();
  readonly failDeploy = new Set<string>();
  /** How many of the next requests answer `unavailableStatus` (before auth, like a proxy in front of MAAS would). */
  unavailable = 0;
  unavailableStatus = 503;
  /** How many of the next requests (of those `hangOnly` matches) get no answer at all (until close). */
  hanging = 0;
  hangOnly: { method?: string; op?: string } = {};
  /** How many of the next requests (of those `slowOnly` matches) are answered only after `slowMs` (a MAAS slow to answer). */
  slow = 0;
  slowMs = 0;
  slowOnly: { method?: string; op?: string } = {};
  /** Hostnames whose next commissioning never ends. */
  readonly stallCommissioning = new Set<string>();
  bootImportRunning = false;
  /** set_workload_annotations answers 204 No Content, as MAAS documents it (nodes.py), instead of the node. */
  annotationsNoContent = false;
  /** boot-resources/: synced images, by MAAS name (os/series) and architecture (arch/subarch, the kernel). */
  bootResources: Array<{ name: string; architecture: string; type?: string }> = [{ name: 'ubuntu/jammy', architecture: 'amd64/ga-22.04' }];
  readonly username = 'admin';
  /** 'consumer:token:secret', set by the simulator. */
  apiKey = '';

  constructor(readonly timing: Timing) {}

  addMachine(seed: MachineSeed): SimMachine {
    const m = makeMachine(seed, this.ids, this.network.defaultVlan().id, 0);
    this.machines.push(m);
    return m;
  }

  machine(systemId: string): SimMachine | undefined {
    return this.machines.find((m) => m.systemId === systemId);
  }

  byHostname(hostname: string): SimMachine | undefined {
    return this.machines.find((m) => m.hostname === hostname);
  }

  tagNamesOf(m: SimMachine): string[] {
    return this.tags.filter((t) => t.systemIds.has(m.systemId)).map((t) => t.name);
  }
}
