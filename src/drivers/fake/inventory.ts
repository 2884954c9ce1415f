import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import { bootNetworkOf, derivedMac, hash32 } from './identity.ts';
import { hardwareOf } from './records.ts';

/**
 * The devices a simulated machine reports when commissioned: the hardware
 * profile's device aliases (as Drydock expects to find them by bus address)
 * plus any raw device names the interfaces enslave.
 */
export interface Nic {
  alias: string | null;
  logicalName: string;
  mac: string;
  businfo: string | null;
  product: string | null;
}

export interface Disk {
  alias: string;
  logicalName: string;
  businfo: string;
  product: string | null;
  sizeBytes: number;
}

export interface OtherDevice {
  alias: string;
  businfo: string;
  product: string | null;
  class: 'storage' | 'generic';
}

export interface Inventory {
  nics: Nic[];
  disks: Disk[];
  others: OtherDevice[];
}

const NIC_TYPE = /ether|nic|network|connectx|x710|xl710|i350|bcm57/i;
const STORAGE_TYPE = /raid|sas|sata|nvme|storage|perc|hba|scsi/i;
const DISK_GB = [480, 960, 1920, 3840];

/** systemd's predictable name for a PCI NIC, e.g. 0000:3b:00.1 -> enp59s0f1. */
function predictableName(address: string): string | null {
  const m = /^(?:[0-9a-f]{4}:)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(address);
  if (!m) return null;
  return `enp${parseInt(m[1] ?? '0', 16)}s${parseInt(m[2] ?? '0', 16)}f${m[3]}`;
}

/** sda, sdb, …, sdz, sdaa, … */
function diskName(index: number): string {
  let n = index;
  let name = '';
  do {
    name = String.fromCharCode(97 + (n % 26)) + name;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `/dev/sd${name}`;
}

export function inventoryOf(node: BaremetalNode, site: SiteModel, bootMac: string): Inventory {
  const hw = hardwareOf(node, site);
  const aliases = hw?.deviceAliases ?? {};
  // An interface with a single slave names that NIC (eno1 enslaving pxe_nic01 is the NIC eno1).
  const soleSlaveOf = new Map<string, string>();
  for (const iface of node.interfaces) {
    const [only] = iface.hardwareSlaves;
    if (only !== undefined && iface.hardwareSlaves.length === 1) soleSlaveOf.set(only, iface.deviceName);
  }
  const bootNetwork = bootNetworkOf(node, site);
  const bootNic = node.interfaces.find((i) => bootNetwork !== null && i.networks.includes(bootNetwork))?.hardwareSlaves[0];

  const nics: Nic[] = [];
  const disks: Disk[] = [];
  const others: OtherDevice[] = [];
  const nicFor = (alias: string | null, name: string, businfo: string | null, product: string | null) => ({
    alias,
    logicalName: name,
    businfo,
    product,
    mac: (alias ?? name) === bootNic ? bootMac : derivedMac(`${node.name}/${alias ?? name}`),
  });
  for (const [alias, dev] of Object.entries(aliases)) {
    const bus = dev.busType.toLowerCase();
    const businfo = `${bus}@${dev.address}`;
    const isNic = bus === 'pci' && (NIC_TYPE.test(dev.devType ?? '') || /nic|eth|net/i.test(alias));
    if (isNic) {
      const name = soleSlaveOf.get(alias) ?? predictableName(dev.address) ?? alias;
      nics.push(nicFor(alias, name, businfo, dev.devType));
    } else if (bus === 'scsi' || bus === 'nvme' || bus === 'usb') {
      const gb = DISK_GB[hash32(`${node.name}/${alias}`) % DISK_GB.length] ?? 960;
      disks.push({ alias, logicalName: diskName(disks.length), businfo, product: dev.devType, sizeBytes: gb * 1e9 });
    } else {
      others.push({ alias, businfo, product: dev.devType, class: STORAGE_TYPE.test(dev.devType ?? '') ? 'storage' : 'generic' });
    }
  }
  // Slaves named by kernel name rather than alias are NICs the profile does not describe.
  const seen = new Set(nics.map((n) => n.alias ?? n.logicalName));
  for (const iface of node.interfaces) {
    for (const slave of iface.hardwareSlaves) {
      if (Object.hasOwn(aliases, slave) || seen.has(slave)) continue;
      seen.add(slave);
      nics.push(nicFor(null, slave, null, null));
    }
  }
  return { nics, disks, others };
}
