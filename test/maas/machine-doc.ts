import type { Network } from './network.ts';
import type { SimBlockDevice, SimInterface, SimMachine, SimPartition, SimFilesystem } from './model.ts';
import { NODE_STATUS, STATUS_LABEL } from './status.ts';
import { logicalVolumeDoc, volumeGroupDoc } from './storage-docs.ts';
import { availableOf, usedOf } from './storage-space.ts';

/**
 * The machine document, after canonical/maas src/maasserver/api/machines.py
 * DISPLAYED_MACHINE_FIELDS and api/examples/machines.json. Fields the
 * simulator has no model for keep MAAS's empty values.
 */
const fsDoc = (f: SimFilesystem | null) => f && ({
  fstype: f.fstype, label: f.label, uuid: f.uuid, mount_point: f.mountPoint, mount_options: f.mountOptions,
});

export function partitionDoc(m: SimMachine, d: SimBlockDevice, p: SimPartition): Record<string, unknown> {
  const fs = p.filesystem;
  return {
    uuid: p.uuid, size: p.size, bootable: p.bootable, tags: [], type: 'partition',
    used_for: fs ? `${fs.fstype} formatted filesystem${fs.mountPoint ? ` mounted at ${fs.mountPoint}` : ''}` : 'Unused',
    system_id: m.systemId, path: `/dev/disk/by-dname/${d.name}-part${d.partitions.indexOf(p) + 1}`,
    filesystem: fsDoc(fs), device_id: d.id, id: p.id,
    resource_uri: `/MAAS/api/2.0/nodes/${m.systemId}/blockdevices/${d.id}/partition/${p.id}`,
  };
}

export function blockDeviceDoc(m: SimMachine, d: SimBlockDevice): Record<string, unknown> {
  return {
    id_path: d.idPath, size: d.size, block_size: d.blockSize, tags: d.tags, type: 'physical',
    available_size: availableOf(m, d), used_size: usedOf(m, d),
    model: d.model, serial: d.serial, firmware_version: 'SIM1', name: d.name, path: `/dev/disk/by-dname/${d.name}`,
    used_for: d.filesystem ? `Formatted as ${d.filesystem.fstype}`
      : d.partitions.length ? `${d.partitionTableType ?? 'GPT'} partitioned with ${d.partitions.length} partition` : 'Unused',
    partitions: d.partitions.map((p) => partitionDoc(m, d, p)), system_id: m.systemId,
    filesystem: fsDoc(d.filesystem), storage_pool: null, partition_table_type: d.partitionTableType, uuid: null,
    numa_node: 0, id: d.id, resource_uri: `/MAAS/api/2.0/nodes/${m.systemId}/blockdevices/${d.id}/`,
  };
}

export function interfaceDoc(net: Network, m: SimMachine, i: SimInterface): Record<string, unknown> {
  const vlan = net.vlans.find((v) => v.id === i.vlanId);
  return {
    type: i.type, vlan: vlan ? net.vlanDoc(vlan) : null, mac_address: i.macAddress, enabled: i.enabled,
    discovered: null, system_id: m.systemId, name: i.name, effective_mtu: i.mtu, firmware_version: null,
    vendor: null, product: null, tags: i.tags, params: Object.keys(i.params).length ? i.params : '',
    children: m.interfaces.filter((c) => c.parents.includes(i.name)).map((c) => c.name), parents: i.parents,
    links: i.links.map((l) => {
      const subnet = net.subnets.find((s) => s.id === l.subnetId);
      return { id: l.id, mode: l.mode, ...(subnet ? { subnet: net.subnetDoc(subnet) } : {}),
        ...(l.ipAddress ? { ip_address: l.ipAddress } : {}) };
    }),
    id: i.id, link_connected: true, interface_speed: 10000, link_speed: 10000, numa_node: 0,
    resource_uri: `/MAAS/api/2.0/nodes/${m.systemId}/interfaces/${i.id}/`,
  };
}

/** api/machines.py default_gateways: the link picked by link_subnet default_gateway, with its subnet's gateway. */
function gatewayOf(net: Network, m: SimMachine): { gateway_ip: string | null; link_id: number | null } {
  const link = m.interfaces.flatMap((i) => i.links).find((l) => l.id === m.gatewayLinkId);
  const subnet = link && net.subnets.find((s) => s.id === link.subnetId);
  return { gateway_ip: subnet?.gatewayIp ?? null, link_id: link?.id ?? null };
}

export function machineDoc(net: Network, m: SimMachine, tagNames: string[]): Record<string, unknown> {
  const domain = net.domains.find((d) => d.id === m.domainId)!;
  const disks = m.blockDevices.map((d) => blockDeviceDoc(m, d));
  const nics = m.interfaces.map((i) => interfaceDoc(net, m, i));
  const ips = m.interfaces.flatMap((i) => i.links).flatMap((l) => (l.ipAddress ? [l.ipAddress] : []));
  return {
    system_id: m.systemId, hostname: m.hostname, description: '', hardware_uuid: null,
    domain: net.domainDoc(domain), fqdn: `${m.hostname}.${domain.name}`, owner: m.owner,
    owner_data: m.ownerData, workload_annotations: m.ownerData, locked: false, cache_sets: [], bcaches: [],
    bios_boot_method: 'pxe', boot_interface: nics.find((n) => n.id === m.bootInterfaceId) ?? null,
    architecture: m.architecture, min_hwe_kernel: '', hwe_kernel: m.hweKernel, cpu_count: m.cpuCount,
    cpu_speed: 2400, memory: m.memory, swap_size: null,
    storage: m.blockDevices.reduce((n, d) => n + d.size, 0) / 1e6, status: m.status,
    status_name: STATUS_LABEL[m.status], status_action: '', status_message: STATUS_LABEL[m.status],
    osystem: m.osystem, distro_series: m.distroSeries, ephemeral_deploy: false,
    error_description: m.errorDescription, netboot: m.status !== NODE_STATUS.DEPLOYED, power_type: m.powerType,
    power_state: m.powerState, tag_names: tagNames, address_ttl: null, ip_addresses: ips,
    interface_set: nics, zone: { name: 'default', description: '', id: 1, resource_uri: '/MAAS/api/2.0/zones/default/' },
    pool: { name: 'default', description: 'Default pool', id: 0, resource_uri: '/MAAS/api/2.0/resourcepool/0/' },
    disable_ipv4: false, constraints_by_type: {},
    boot_disk: disks.find((d) => d.id === m.bootDiskId) ?? null, blockdevice_set: disks,
    physicalblockdevice_set: disks,
    virtualblockdevice_set: m.volumeGroups.flatMap((vg) => vg.logicalVolumes.map((lv) => logicalVolumeDoc(m, vg, lv))),
    volume_groups: m.volumeGroups.map((vg) => volumeGroupDoc(m, vg)), raids: [],
    node_type: 0, node_type_name: 'Machine', special_filesystems: [], parent: null,
    default_gateways: { ipv4: gatewayOf(net, m), ipv6: { gateway_ip: null, link_id: null } },
    current_commissioning_result_id: null, current_testing_result_id: null, current_installation_result_id: null,
    commissioning_status: m.commissioned ? 2 : -1, commissioning_status_name: m.commissioned ? 'Passed' : 'None',
    testing_status: -1, testing_status_name: 'None', hardware_info: { system_vendor: 'Simulated', system_product: 'SIM-1',
      system_serial: m.systemId, cpu_model: 'Simulated CPU' },
    numanode_set: [{ index: 0, memory: m.memory, cores: [...Array(m.cpuCount).keys()] }],
    last_sync: null, sync_interval: null, next_sync: null, enable_hw_sync: false,
    enable_kernel_crash_dump: false, is_dpu: false,
    resource_uri: `/MAAS/api/2.0/machines/${m.systemId}/`,
  };
}
