import { anyObject, array, boolean, loose, mapOf, opt, strict, string } from './json.ts';

/**
 * The parts HostProfile and BaremetalNode share, as their two published
 * schemas spell them (identically). Which objects are closed follows the
 * schemas exactly: partitions and their filesystems are, logical volumes and
 * their filesystems are not. The partition's `volume_group` is listed twice
 * in the schema; YAML keeps the last one and both say `type: string`.
 */
const filesystemEntries = {
  mountpoint: opt(string),
  fstype: opt(string),
  mount_options: opt(string),
  fs_uuid: opt(string),
  fs_label: opt(string),
};

const partition = strict({
  name: opt(string),
  size: opt(string),
  part_uuid: opt(string),
  volume_group: opt(string),
  labels: opt(mapOf(string)),
  bootable: opt(boolean),
  filesystem: opt(strict(filesystemEntries)),
});

const physicalDevice = loose({
  labels: opt(mapOf(string)),
  volume_group: opt(string),
  partitions: opt(array(partition)),
});

const logicalVolume = loose({
  name: opt(string),
  lv_uuid: opt(string),
  size: opt(string),
  filesystem: opt(loose(filesystemEntries)),
});

const volumeGroup = loose({
  vg_uuid: opt(string),
  logical_volumes: opt(array(logicalVolume)),
});

export const interfaceEntries = {
  device_link: opt(string),
  slaves: opt(array(string)),
  networks: opt(array(string)),
};

export const hostEntries = {
  oob: opt(
    loose({
      type: opt(string),
      network: opt(string),
      account: opt(string),
      credential: opt(string),
    }),
  ),
  storage: opt(
    loose({
      physical_devices: opt(mapOf(physicalDevice)),
      volume_groups: opt(mapOf(volumeGroup)),
    }),
  ),
  platform: opt(
    strict({
      image: opt(string),
      kernel: opt(string),
      kernel_params: opt(anyObject),
    }),
  ),
  metadata: opt(
    strict({
      tags: opt(array(string)),
      owner_data: opt(mapOf(string)),
      rack: opt(string),
      boot_mac: opt(string),
    }),
  ),
  host_profile: opt(string),
  hardware_profile: opt(string),
  primary_network: opt(string),
};
