import { NODE_STATUS } from './status.ts';

/** The simulator's state, kept as plain records the tests can read. */
export interface SimLink {
  id: number;
  /** MAAS INTERFACE_LINK_TYPE: auto, dhcp, static, link_up. */
  mode: string;
  subnetId: number | null;
  ipAddress: string | null;
}

export interface SimInterface {
  id: number;
  name: string;
  type: 'physical' | 'bond' | 'vlan' | 'bridge';
  macAddress: string;
  vlanId: number;
  parents: string[];
  enabled: boolean;
  mtu: number;
  params: Record<string, string>;
  links: SimLink[];
  tags: string[];
  /** lshw's businfo (`pci@0000:81:00.0`) for a physical NIC, when a test gives it one. */
  businfo?: string;
}

export interface SimFilesystem {
  fstype: string;
  label: string | null;
  uuid: string;
  mountPoint: string | null;
  mountOptions: string | null;
}

export interface SimPartition {
  id: number;
  uuid: string;
  size: number;
  bootable: boolean;
  filesystem: SimFilesystem | null;
}

export interface SimBlockDevice {
  id: number;
  name: string;
  model: string;
  serial: string;
  size: number;
  blockSize: number;
  idPath: string | null;
  /** lshw's bus address of a physical disk (probe.ts), null for a logical volume. */
  scsi?: string | null;
  tags: string[];
  partitionTableType: string | null;
  partitions: SimPartition[];
  filesystem: SimFilesystem | null;
}

export interface SimVolumeGroup {
  id: number;
  name: string;
  uuid: string;
  blockDeviceIds: number[];
  partitionIds: number[];
  logicalVolumes: SimBlockDevice[];
}

/** A status change in flight: it lands when the test clock reaches `at`. */
export interface PendingChange {
  to: number;
  at: number;
}

export interface SimMachine {
  id: number;
  systemId: string;
  hostname: string;
  domainId: number;
  status: number;
  powerType: string;
  powerParameters: Record<string, string>;
  powerState: 'on' | 'off' | 'unknown' | 'error';
  architecture: string;
  cpuCount: number;
  memory: number;
  owner: string | null;
  ownerData: Record<string, string>;
  osystem: string;
  distroSeries: string;
  hweKernel: string | null;
  /** The user_data form field of the deploy op, as received (base64 per MAAS's docs). */
  userData: string | null;
  errorDescription: string;
  interfaces: SimInterface[];
  blockDevices: SimBlockDevice[];
  bootInterfaceId: number | null;
  /** The link chosen with link_subnet default_gateway (models/node.py gateway_link_ipv4). */
  gatewayLinkId?: number | null;
  bootDiskId: number | null;
  volumeGroups: SimVolumeGroup[];
  pending: PendingChange | null;
  /** Set once a commissioning has passed: `details` and results answer with data from then on. */
  commissioned: boolean;
}

export interface MachineSeed {
  hostname: string;
  /** The boot NIC's MAC. */
  mac: string;
  status?: number;
  powerType?: string;
  powerParameters?: Record<string, string>;
  extraMacs?: string[];
  /** lshw's businfo of each NIC in order (boot NIC first), what device aliases name; none by default. */
  nicBusinfo?: string[];
  /** `scsi`: the disk's SCSI address in lshw (`host:channel.target.lun`, default `<index>:0.0.0`), what device aliases name. */
  disks?: { name: string; size: number; scsi?: string }[];
}

/**
 * MAAS system ids are 6 characters from [a-z0-9] (models/node.py
 * generate_node_system_id); derived from the simulator's unique id so they
 * are unique and stable across runs.
 */
function systemIdFor(n: number): string {
  const alphabet = 'abcdefghkmnpqrstwxy3456789';
  let out = '';
  let v = 4_000_000 + n * 7919;
  for (let i = 0; i < 6; i++) {
    out += alphabet[v % alphabet.length];
    v = Math.floor(v / alphabet.length);
  }
  return out;
}

export class IdSource {
  private n = 1;
  next(): number {
    return this.n++;
  }
}

export function makeMachine(seed: MachineSeed, ids: IdSource, vlanId: number, domainId: number): SimMachine {
  const id = ids.next();
  const macs = [seed.mac, ...(seed.extraMacs ?? [])];
  const interfaces: SimInterface[] = macs.map((mac, i) => ({
    id: ids.next(), name: `eno${i + 1}`, type: 'physical', macAddress: mac.toLowerCase(), vlanId,
    parents: [], enabled: true, mtu: 1500, params: {}, links: [], tags: [],
    ...(seed.nicBusinfo?.[i] ? { businfo: seed.nicBusinfo[i] } : {}),
  }));
  const disks = seed.disks ?? [{ name: 'sda', size: 480_103_981_056 }];
  const blockDevices: SimBlockDevice[] = disks.map((d, i) => ({
    id: ids.next(), name: d.name, model: 'SIM DISK', serial: `SIM${id}${i}`, size: d.size, blockSize: 512,
    idPath: `/dev/disk/by-id/wwn-0x5000c5000${id}${i}`, scsi: d.scsi ?? `${i}:0.0.0`, tags: ['ssd'], partitionTableType: null, partitions: [],
    filesystem: null,
  }));
  return {
    id, systemId: systemIdFor(id), hostname: seed.hostname, domainId,
    status: seed.status ?? NODE_STATUS.NEW,
    powerType: seed.powerType ?? 'ipmi',
    powerParameters: seed.powerParameters ?? {},
    powerState: 'off', architecture: 'amd64/generic', cpuCount: 8, memory: 16384,
    owner: null, ownerData: {}, osystem: '', distroSeries: '', hweKernel: null, userData: null,
    errorDescription: '', interfaces, blockDevices,
    bootInterfaceId: interfaces[0]!.id, bootDiskId: blockDevices[0]?.id ?? null, volumeGroups: [],
    pending: null, commissioned: (seed.status ?? NODE_STATUS.NEW) !== NODE_STATUS.NEW,
  };
}
