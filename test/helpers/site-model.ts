import type {
  BaremetalNode,
  BootAction,
  BootActionAsset,
  HardwareProfile,
  HostProfile,
  Network,
  NetworkLink,
  Rack,
  SiteModel,
} from '../../src/design/model.ts';

/**
 * Builders for hand-made effective sites, for tests of the readers of the
 * model (validators, filters) that should not depend on the compiler.
 */
export function emptySite(): SiteModel {
  return {
    region: null,
    racks: new Map(),
    networks: new Map(),
    networkLinks: new Map(),
    hardwareProfiles: new Map(),
    hostProfiles: new Map(),
    nodes: new Map(),
    bootActions: new Map(),
  };
}

const doc = (kind: string, name: string) => ({ schema: `drydock/${kind}/v1`, name });

export function makeNetwork(name: string, over: Partial<Network> = {}): Network {
  return {
    name,
    doc: doc('Network', name),
    labels: {},
    cidr: '10.0.0.0/24',
    vlanId: null,
    routedomain: null,
    mtu: null,
    dnsDomain: null,
    dnsServers: [],
    ranges: [],
    routes: [],
    dhcpRelay: null,
    ...over,
  };
}

export function makeLink(name: string, over: Partial<NetworkLink> = {}): NetworkLink {
  return {
    name,
    doc: doc('NetworkLink', name),
    labels: {},
    bondingMode: 'disabled',
    bondingXmitHash: null,
    bondingPeerRate: null,
    bondingMonRate: null,
    bondingUpDelay: null,
    bondingDownDelay: null,
    mtu: null,
    linkspeed: null,
    trunkMode: 'disabled',
    nativeNetwork: null,
    allowedNetworks: [],
    ...over,
  };
}

export function makeHardwareProfile(name: string, over: Partial<HardwareProfile> = {}): HardwareProfile {
  return {
    name,
    doc: doc('HardwareProfile', name),
    vendor: null,
    generation: null,
    hwVersion: null,
    biosVersion: null,
    bootMode: null,
    bootstrapProtocol: null,
    pxeInterface: null,
    deviceAliases: {},
    cpuSets: {},
    hugepages: {},
    ...over,
  };
}

export function makeHostProfile(name: string, over: Partial<HostProfile> = {}): HostProfile {
  return {
    name,
    doc: doc('HostProfile', name),
    parentProfile: null,
    hardwareProfile: null,
    primaryNetwork: null,
    oob: { type: null, network: null, account: null, credential: null, params: {} },
    storage: { physicalDevices: [], volumeGroups: [] },
    interfaces: [],
    platform: { image: null, kernel: null, kernelParams: {} },
    tags: [],
    ownerData: {},
    rack: null,
    ...over,
  };
}

export function makeNode(name: string, over: Partial<BaremetalNode> = {}): BaremetalNode {
  const { parentProfile: _unused, doc: _doc, ...profile } = makeHostProfile(name);
  return {
    ...profile,
    doc: doc('BaremetalNode', name),
    hostProfile: null,
    addressing: [],
    bootMac: null,
    domain: null,
    labels: {},
    ...over,
  };
}

export function makeRack(name: string, over: Partial<Rack> = {}): Rack {
  return { name, doc: doc('Rack', name), labels: {}, torSwitches: [], location: {}, localNetworks: [], ...over };
}

/** A file asset with no data; override what the test is about. */
export function makeAsset(over: Partial<BootActionAsset> = {}): BootActionAsset {
  return {
    type: 'file',
    path: '/var/tmp/file',
    permissions: null,
    location: null,
    locationPipeline: [],
    data: null,
    dataPipeline: [],
    packageList: null,
    ...over,
  };
}

export function makeBootAction(name: string, over: Partial<BootAction> = {}): BootAction {
  return { name, doc: doc('BootAction', name), signaling: true, assets: [], nodeFilter: null, targetNodes: [], ...over };
}

/** A site from lists of parts, keyed by name in the order given. */
export function siteOf(parts: {
  networks?: Network[];
  links?: NetworkLink[];
  hardwareProfiles?: HardwareProfile[];
  hostProfiles?: HostProfile[];
  nodes?: BaremetalNode[];
  racks?: Rack[];
  bootActions?: BootAction[];
}): SiteModel {
  const byName = <T extends { name: string }>(xs: T[] = []) => new Map(xs.map((x) => [x.name, x]));
  return {
    ...emptySite(),
    networks: byName(parts.networks),
    networkLinks: byName(parts.links),
    hardwareProfiles: byName(parts.hardwareProfiles),
    hostProfiles: byName(parts.hostProfiles),
    nodes: byName(parts.nodes),
    racks: byName(parts.racks),
    bootActions: byName(parts.bootActions),
  };
}
