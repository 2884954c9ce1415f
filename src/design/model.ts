/**
 * The effective site: what Drydock's orchestrator computes from a design
 * before it acts (inheritance applied, profiles merged, routes rendered).
 * Tasks run against it, node filters select from it, validators check it,
 * and boot actions render with it. Everything is keyed by name; Maps keep
 * document order.
 *
 * This file is the contract between the compiler (design/compile) and its
 * readers (design/validators, design/filters, the orchestrator, the boot
 * action renderer and services, the drivers): extend it, do not rename.
 */

/** Where a model object came from, for validation messages' `docs`. */
export interface DocRef {
  /** e.g. `drydock/BaremetalNode/v1` */
  schema: string;
  name: string;
}

export type DesignKind =
  | 'Region'
  | 'Rack'
  | 'NetworkLink'
  | 'Network'
  | 'HardwareProfile'
  | 'HostProfile'
  | 'BaremetalNode'
  | 'BootAction';

export interface Region {
  name: string;
  doc: DocRef;
  tagDefinitions: Array<{ tag: string; type: string; definition: string }>;
  authorizedKeys: string[];
  repositories: {
    removeUnlisted: boolean;
    list: Array<{
      name: string;
      url: string;
      repoType: string;
      gpgkey: string | null;
      distributions: string[] | null;
      subrepos: string[] | null;
      components: string[] | null;
      arches: string[];
      options: Record<string, string> | null;
    }>;
  } | null;
}

export interface Rack {
  name: string;
  doc: DocRef;
  labels: Record<string, string>;
  torSwitches: Array<{ switchName: string; mgmtIp: string | null; sdnApiUri: string | null }>;
  location: Record<string, string>;
  localNetworks: string[];
}

export interface NetworkRange {
  type: string; // static | dhcp | reserved
  start: string;
  end: string;
}

export interface NetworkRoute {
  subnet: string;
  gateway: string;
  metric: number | null;
  routedomain: string | null;
}

export interface Network {
  name: string;
  doc: DocRef;
  labels: Record<string, string>;
  cidr: string;
  vlanId: string | null;
  routedomain: string | null;
  mtu: number | null;
  dnsDomain: string | null;
  dnsServers: string[];
  ranges: NetworkRange[];
  /**
   * Routes as written plus, after compile, one explicit route per other
   * network of the same route domain (Drydock's routedomain rendering).
   */
  routes: NetworkRoute[];
  dhcpRelay: { selfIp: string | null; upstreamTarget: string | null } | null;
}

export interface NetworkLink {
  name: string;
  doc: DocRef;
  labels: Record<string, string>;
  bondingMode: 'disabled' | '802.3ad' | 'active-backup' | 'balance-rr';
  bondingXmitHash: string | null;
  bondingPeerRate: string | null;
  bondingMonRate: number | null;
  bondingUpDelay: number | null;
  bondingDownDelay: number | null;
  mtu: number | null;
  linkspeed: string | null;
  trunkMode: 'disabled' | '802.1q';
  nativeNetwork: string | null;
  allowedNetworks: string[];
}

export interface HardwareProfile {
  name: string;
  doc: DocRef;
  vendor: string | null;
  generation: string | null;
  hwVersion: string | null;
  biosVersion: string | null;
  bootMode: string | null;
  bootstrapProtocol: string | null;
  pxeInterface: string | null;
  /** alias -> device */
  deviceAliases: Record<string, { address: string; busType: string; devType: string | null }>;
  /** cpu set name -> cpu list, e.g. `"2-4,6"` */
  cpuSets: Record<string, string>;
  /** hugepages config name -> size (e.g. `1G`) and count */
  hugepages: Record<string, { size: string; count: number }>;
}

export interface Filesystem {
  mountpoint: string | null;
  fstype: string | null;
  mountOptions: string | null;
  fsUuid: string | null;
  fsLabel: string | null;
}

export interface Partition {
  name: string;
  /** As written: `10g`, `>20g`, `30%`, … (see design/sizes) */
  size: string | null;
  bootable: boolean;
  partUuid: string | null;
  volumeGroup: string | null;
  labels: Record<string, string>;
  filesystem: Filesystem | null;
}

export interface PhysicalDevice {
  name: string;
  labels: Record<string, string>;
  /** The whole device is a physical volume of this volume group. */
  volumeGroup: string | null;
  partitions: Partition[];
}

export interface LogicalVolume {
  name: string;
  size: string | null;
  lvUuid: string | null;
  filesystem: Filesystem | null;
}

export interface VolumeGroup {
  name: string;
  vgUuid: string | null;
  logicalVolumes: LogicalVolume[];
}

export interface Storage {
  physicalDevices: PhysicalDevice[];
  volumeGroups: VolumeGroup[];
}

export interface HostInterface {
  deviceName: string;
  networkLink: string | null;
  /** Hardware devices (or hardware profile aliases) enslaved to this interface. */
  hardwareSlaves: string[];
  networks: string[];
  sriov: boolean;
  vfCount: number | null;
  trustedMode: boolean | null;
}

export interface Platform {
  image: string | null;
  kernel: string | null;
  /** Values are strings, or `true` for a bare flag (Drydock's form). */
  kernelParams: Record<string, string | boolean>;
}

export interface Oob {
  type: string | null;
  network: string | null;
  account: string | null;
  credential: string | null;
  /** Every oob key as written (libvirt_uri, …), including the four above. */
  params: Record<string, unknown>;
}

/** A HostProfile after its inheritance chain is applied. */
export interface HostProfile {
  name: string;
  doc: DocRef;
  parentProfile: string | null;
  hardwareProfile: string | null;
  primaryNetwork: string | null;
  oob: Oob;
  storage: Storage;
  interfaces: HostInterface[];
  platform: Platform;
  tags: string[];
  ownerData: Record<string, string>;
  rack: string | null;
}

export interface IpAddressAssignment {
  network: string;
  type: 'static' | 'dhcp';
  /** null for dhcp */
  address: string | null;
}

/** A BaremetalNode merged over its HostProfile chain and HardwareProfile. */
export interface BaremetalNode extends Omit<HostProfile, 'parentProfile'> {
  hostProfile: string | null;
  addressing: IpAddressAssignment[];
  bootMac: string | null;
  /** The primary network's dns_domain (Drydock's node domain), or null. */
  domain: string | null;
  /** Labels for node filters: owner_data (Drydock's node labels). */
  labels: Record<string, string>;
}

export interface NodeFilter {
  filterType: 'union' | 'intersection';
  nodeNames?: string[];
  nodeTags?: string[];
  nodeLabels?: Record<string, string>;
  rackNames?: string[];
  rackLabels?: Record<string, string>;
}

export interface NodeFilterSet {
  filterSetType: 'union' | 'intersection';
  filterSet: NodeFilter[];
}

export interface BootActionAsset {
  type: 'unit' | 'file' | 'pkg_list' | null;
  path: string | null;
  permissions: number | null;
  location: string | null;
  locationPipeline: string[];
  data: string | null;
  dataPipeline: string[];
  /** pkg_list assets: package name -> version (null for any) */
  packageList: Record<string, string | null> | null;
}

export interface BootAction {
  name: string;
  doc: DocRef;
  signaling: boolean;
  assets: BootActionAsset[];
  nodeFilter: NodeFilterSet | null;
  /** Nodes the node filter selects (all nodes when there is no filter). */
  targetNodes: string[];
}

export interface SiteModel {
  region: Region | null;
  racks: Map<string, Rack>;
  networks: Map<string, Network>;
  networkLinks: Map<string, NetworkLink>;
  hardwareProfiles: Map<string, HardwareProfile>;
  hostProfiles: Map<string, HostProfile>;
  nodes: Map<string, BaremetalNode>;
  bootActions: Map<string, BootAction>;
}

/** Drydock's MessageLevels (objects/fields.py). */
export type ValidationLevel = 'Error' | 'Warning' | 'Info';

/** One finding, in Drydock's ValidationMessage form. */
export interface ValidationMessage {
  kind: 'ValidationMessage';
  message: string;
  error: boolean;
  level: ValidationLevel;
  /** The rule's name, e.g. `Storage Partitioning` (or DD001 for schema errors). */
  name: string;
  /** The documents it concerns (Drydock's `documents`, DocumentReference.to_dict). */
  documents: DocRef[];
  diagnostic: string;
}
