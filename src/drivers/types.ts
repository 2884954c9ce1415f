import type { Config } from '../core/config.ts';
import type { Db } from '../db/types.ts';
import type { BaremetalNode, SiteModel } from '../design/model.ts';
import type { Logger } from '../core/log.ts';
import type { DriverAction } from './actions.ts';

/**
 * What a driver gets for one call: everything explicit, I/O only through
 * `fetch` (MAAS, BMCs, Kubernetes) or `db` (the fake lab's shared state).
 */
export interface DriverContext {
  db: Db;
  config: Config;
  clock: () => Date;
  fetch: typeof fetch;
  logger: Logger;
  site: SiteModel;
  taskId: string;
  /** The task whose step made this one (a subtask's parent); a deploying node's key is delivered under it. */
  parentTaskId?: string;
  designRef: string;
  /** The content hash of the task's pinned design (what a site agent compiles). */
  designHash?: string;
}

/**
 * The outcome of one bounded call. Driver calls never block for long: an
 * action that takes minutes (commissioning, deploying) answers `pending`
 * and is asked again later; calling again after `done` answers `done`.
 * A pending answer's `notice` is worth a task message (once per text, not
 * per poll): e.g. that the site has no live agent.
 */
export type Progress =
  | { state: 'done'; detail?: string; buildData?: RecordedBuildData }
  | { state: 'pending'; detail?: string; retryAfterMs?: number; memo?: DriverMemo; notice?: string }
  | { state: 'failed'; reason: string };

/**
 * The build data of a build data stage (BUILD_DATA_STAGES) that a site
 * agent collected with its `done` answer, recorded under the call's task
 * together with the result (services/agents/results.ts): how many records,
 * or why none could be collected. The orchestrator reports it as it reports
 * what it collects itself, and collects nothing more for the node.
 */
export type RecordedBuildData = { saved: number } | { error: string };

/**
 * What a stateless driver needs on its next call for the same node and task
 * (a power cycle's phase, how often it has polled). The orchestrator keeps it
 * in the subtask's step state (so it survives a restart) and hands it back;
 * it is stored in clear, so it never holds a secret.
 */
export type DriverMemo = Record<string, string | number | boolean | null>;

/** The stages Drydock's MAAS driver saves build data of. */
export type BuildDataStage = 'commission' | 'deploy';

/** A build data record a driver collected (Drydock's BuildData). */
export interface CollectedBuildData {
  nodeName: string;
  generator: string;
  dataFormat: string;
  dataElement: string;
  collectedDate: Date;
}

/** A machine as the node driver knows it, for GET /nodes (Drydock's fields). */
export interface MachineSummary {
  hostname: string;
  memory: number | null;
  cpu_count: number | null;
  status_name: string;
  boot_mac: string | null;
  power_state: string | null;
  power_address: string | null;
  boot_ip: string | null;
}

interface DriverBase {
  /** e.g. `fake`, `maas`, `manual` */
  readonly name: string;
  /** The actions this driver carries out; others are refused by the orchestrator. */
  readonly actions: ReadonlySet<DriverAction>;
  /**
   * One node (or, with node null, a site-wide action such as
   * validate_node_services). `memo` is what the last `pending` answer for this
   * node in this subtask carried, absent on the first call.
   */
  run(ctx: DriverContext, action: DriverAction, node: BaremetalNode | null, memo?: DriverMemo): Promise<Progress>;
  /** Reachability of the driver's backend, for /health/extended. */
  health(ctx: Omit<DriverContext, 'site' | 'taskId' | 'designRef'>): Promise<string>;
}

/**
 * A deployment's boot action context for one node, handed to the node driver
 * before deploy_node. `nodeKey` is the node's secret: a driver delivers it to
 * the node (MAAS: in the deployment's user data) and never logs or stores it.
 */
export interface BootActionDelivery {
  nodeKey: string;
  actions: Array<{ name: string; actionId: string; signaling: boolean }>;
  /** Packages the node's pkg_list assets ask for (Drydock's cloud-config `packages`): name -> version or null. */
  packages: Record<string, string | null>;
}

export interface NodeDriver extends DriverBase {
  /** Delivers a deployment's boot action context to the node; drivers without boot action support omit it. */
  deliverBootActionContext?(ctx: DriverContext, node: BaremetalNode, payload: BootActionDelivery): Promise<void>;
  listMachines(ctx: Omit<DriverContext, 'site' | 'taskId' | 'designRef'>): Promise<MachineSummary[]>;
  /** One machine by hostname, or null; drivers without it are answered from listMachines. */
  getMachine?(ctx: Omit<DriverContext, 'site' | 'taskId' | 'designRef'>, hostname: string): Promise<MachineSummary | null>;
  /**
   * Build data of a node's stage, once done: `commission` (interrogate_node;
   * the default) or `deploy` (deploy_node: Drydock's DeployNode saves MAAS's
   * installation results as `deploy:<name>`).
   */
  collectBuildData(ctx: DriverContext, node: BaremetalNode, stage?: BuildDataStage): Promise<CollectedBuildData[]>;
  /** The images a node can be deployed with, each with its kernels (Drydock's get_available_images/kernels). */
  bootImages(ctx: Omit<DriverContext, 'site' | 'taskId' | 'designRef'>): Promise<Record<string, string[]>>;
}

export interface OobDriver extends DriverBase {
  /** The node `oob.type` values this driver serves (Drydock picks the OOB driver by type). */
  readonly oobTypes: readonly string[];
}

export type KubernetesDriver = DriverBase;

export interface Drivers {
  node: NodeDriver;
  oob: OobDriver[];
  kubernetes: KubernetesDriver | null;
}
