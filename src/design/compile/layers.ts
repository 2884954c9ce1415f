/**
 * What one HostProfile or BaremetalNode document says, before inheritance.
 * `null` means "not set here" (inherit); a name starting with `!` in a keyed
 * list or a `!key` in a mapping removes the inherited entry. Merging a layer
 * over its parent's compiled layer gives another layer with no markers left,
 * so compiled profiles are memoised as layers and finalised per reader.
 */
export interface FilesystemLayer {
  mountpoint: string | null;
  fstype: string | null;
  mountOptions: string | null;
  fsUuid: string | null;
  fsLabel: string | null;
}

export interface PartitionLayer {
  name: string;
  size: string | null;
  bootable: boolean | null;
  partUuid: string | null;
  volumeGroup: string | null;
  labels: Readonly<Record<string, string>>;
  filesystem: FilesystemLayer | null;
}

export interface DeviceLayer {
  name: string;
  volumeGroup: string | null;
  labels: Readonly<Record<string, string>>;
  partitions: readonly PartitionLayer[];
}

export interface LogicalVolumeLayer {
  name: string;
  size: string | null;
  lvUuid: string | null;
  filesystem: FilesystemLayer | null;
}

export interface VolumeGroupLayer {
  name: string;
  vgUuid: string | null;
  logicalVolumes: readonly LogicalVolumeLayer[];
}

export interface InterfaceLayer {
  deviceName: string;
  networkLink: string | null;
  hardwareSlaves: readonly string[];
  networks: readonly string[];
  /** null: the document has no `sriov` stanza here. */
  sriov: { vfCount: number | null; trustedMode: boolean | null } | null;
}

export interface HostLayer {
  hardwareProfile: string | null;
  primaryNetwork: string | null;
  rack: string | null;
  image: string | null;
  kernel: string | null;
  oobType: string | null;
  /** Every oob key but `type`, as Drydock's oob_parameters. */
  oobParams: Readonly<Record<string, unknown>>;
  kernelParams: Readonly<Record<string, string | boolean>>;
  tags: readonly string[];
  ownerData: Readonly<Record<string, string>>;
  interfaces: readonly InterfaceLayer[];
  physicalDevices: readonly DeviceLayer[];
  volumeGroups: readonly VolumeGroupLayer[];
}

export const EMPTY_HOST: HostLayer = Object.freeze({
  hardwareProfile: null,
  primaryNetwork: null,
  rack: null,
  image: null,
  kernel: null,
  oobType: null,
  oobParams: {},
  kernelParams: {},
  tags: [],
  ownerData: {},
  interfaces: [],
  physicalDevices: [],
  volumeGroups: [],
});
