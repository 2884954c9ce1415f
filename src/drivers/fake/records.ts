import type { BaremetalNode, Filesystem, HardwareProfile, SiteModel } from '../../design/model.ts';
import { kernelParamString } from '../kernel-params.ts';

/**
 * What the fake lab records as applied to a machine: the parts of the node
 * model that Drydock's MAAS driver pushes to MAAS in each step, so a test
 * (or an operator) can see that the right configuration reached it.
 */
export function hardwareOf(node: BaremetalNode, site: SiteModel): HardwareProfile | undefined {
  return node.hardwareProfile ? site.hardwareProfiles.get(node.hardwareProfile) : undefined;
}

/** A hardware alias resolved to its bus address, as Drydock's resolve_aliases does; raw names stay. */
function device(name: string, hw: HardwareProfile | undefined) {
  const alias = hw && Object.hasOwn(hw.deviceAliases, name) ? hw.deviceAliases[name] : undefined;
  return alias ? { name, busType: alias.busType, address: alias.address } : { name, busType: null, address: null };
}

const mount = (fs: Filesystem | null) => ({ mountpoint: fs?.mountpoint ?? null, fstype: fs?.fstype ?? null });

/** ApplyNodeNetworking: interfaces, their bond and slaves, and a link per network with its address. */
export function networkingRecord(node: BaremetalNode, site: SiteModel) {
  const hw = hardwareOf(node, site);
  return {
    primaryNetwork: node.primaryNetwork,
    interfaces: node.interfaces.map((iface) => {
      const link = iface.networkLink ? site.networkLinks.get(iface.networkLink) : undefined;
      return {
        device: iface.deviceName,
        networkLink: iface.networkLink,
        bonding: link?.bondingMode ?? 'disabled',
        mtu: link?.mtu ?? null,
        slaves: iface.hardwareSlaves.map((s) => device(s, hw)),
        links: iface.networks.map((name) => {
          const net = site.networks.get(name);
          const addr = node.addressing.find((a) => a.network === name);
          return {
            network: name,
            cidr: net?.cidr ?? null,
            vlan: net?.vlanId ?? null,
            // Drydock links a network without an address in link_up mode.
            mode: addr ? addr.type : 'link_up',
            address: addr?.address ?? null,
          };
        }),
      };
    }),
  };
}

/** ApplyNodeStorage: the partition and LVM layout, with disks resolved to their bus addresses. */
export function storageRecord(node: BaremetalNode, site: SiteModel) {
  const hw = hardwareOf(node, site);
  return {
    physicalDevices: node.storage.physicalDevices.map((d) => ({
      ...device(d.name, hw),
      volumeGroup: d.volumeGroup,
      partitions: d.partitions.map((p) => ({
        name: p.name,
        size: p.size,
        bootable: p.bootable,
        volumeGroup: p.volumeGroup,
        ...mount(p.filesystem),
      })),
    })),
    volumeGroups: node.storage.volumeGroups.map((vg) => ({
      name: vg.name,
      logicalVolumes: vg.logicalVolumes.map((lv) => ({ name: lv.name, size: lv.size, ...mount(lv.filesystem) })),
    })),
  };
}

/** ApplyNodePlatform: the image and kernel, and the kernel parameters MAAS gets as the `<node>_kp` tag. */
export function platformRecord(node: BaremetalNode) {
  return {
    image: node.platform.image,
    kernel: node.platform.kernel,
    kernelParams: kernelParamString(node.platform.kernelParams),
  };
}

/** DeployNode: what the machine was deployed with, including the owner data Drydock sets first. */
export function deploymentRecord(node: BaremetalNode) {
  return { image: node.platform.image, kernel: node.platform.kernel, ownerData: { ...node.ownerData } };
}
