import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import type { CollectedBuildData } from '../types.ts';
import { derivedMac, hash32 } from './identity.ts';
import { inventoryOf, type Inventory } from './inventory.ts';
import { hardwareOf } from './records.ts';
import type { MachineRow } from './store.ts';

/**
 * Commissioning output. Drydock's MAAS driver saves what MAAS's
 * get_details returns: the `lshw` and `lldp` generators (both XML there).
 * The lab emits lshw in lshw's own JSON form (`lshw -json`), easier to read
 * back, and lldp in lldpd's XML form (`lldpctl -f xml`), as MAAS stores it.
 */
export function lshwDocument(node: BaremetalNode, site: SiteModel, row: MachineRow, inv: Inventory) {
  const hw = hardwareOf(node, site);
  const cpus = row.cpuCount ?? 1;
  const pciDevices = [
    ...inv.nics
      .filter((n) => n.businfo !== null)
      .map((n, i) => ({
        id: `network:${i}`,
        class: 'network',
        claimed: true,
        description: 'Ethernet interface',
        product: n.product,
        businfo: n.businfo,
        logicalname: n.logicalName,
        serial: n.mac,
        units: 'bit/s',
        configuration: { link: 'yes', ...(n.alias ? { alias: n.alias } : {}) },
      })),
    ...inv.others.map((d, i) => ({ id: `${d.class}:${i}`, class: d.class, claimed: true, product: d.product, businfo: d.businfo })),
  ];
  const unbussed = inv.nics
    .filter((n) => n.businfo === null)
    .map((n, i) => ({ id: `network:${pciDevices.length + i}`, class: 'network', claimed: true, logicalname: n.logicalName, serial: n.mac }));
  const disks = inv.disks.map((d, i) => ({
    id: `disk:${i}`,
    class: 'disk',
    claimed: true,
    description: 'SCSI Disk',
    product: d.product,
    businfo: d.businfo,
    logicalname: d.logicalName,
    units: 'bytes',
    size: d.sizeBytes,
    configuration: { alias: d.alias },
  }));
  return {
    id: node.name,
    class: 'system',
    claimed: true,
    description: 'Rack Mount Chassis',
    product: hw?.name ?? 'fake-lab-machine',
    vendor: hw?.vendor ?? 'Fake Lab',
    version: hw?.hwVersion ?? null,
    serial: `FL${hash32(`${node.name}/serial`).toString(36).toUpperCase()}`,
    width: 64,
    configuration: { boot: 'normal', chassis: 'rackmount', family: hw?.generation ?? null },
    children: [
      {
        id: 'core',
        class: 'bus',
        claimed: true,
        description: 'Motherboard',
        children: [
          { id: 'firmware', class: 'memory', claimed: true, description: 'BIOS', version: hw?.biosVersion ?? null },
          {
            id: 'cpu:0',
            class: 'processor',
            claimed: true,
            description: 'CPU',
            product: 'Fake Lab vCPU',
            width: 64,
            configuration: { cores: String(cpus), enabledcores: String(cpus), threads: String(cpus) },
          },
          { id: 'memory', class: 'memory', claimed: true, description: 'System Memory', units: 'bytes', size: (row.memoryMb ?? 0) * 1_048_576 },
          { id: 'pci', class: 'bridge', claimed: true, description: 'Host bridge', children: pciDevices },
          { id: 'scsi', class: 'storage', claimed: true, description: 'SCSI storage controller', children: disks },
          ...unbussed,
        ],
      },
    ],
  };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One neighbour per NIC: the rack's top-of-rack switches, taken in turn. */
export function lldpDocument(node: BaremetalNode, site: SiteModel, inv: Inventory): string {
  const switches = (node.rack ? site.racks.get(node.rack)?.torSwitches : undefined) ?? [];
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<lldp label="LLDP neighbors">'];
  inv.nics.forEach((nic, i) => {
    const tor = switches[i % Math.max(switches.length, 1)];
    if (!tor) return;
    const port = `Ethernet${(hash32(`${node.name}/${nic.logicalName}`) % 48) + 1}`;
    lines.push(
      ` <interface label="Interface" name="${xml(nic.logicalName)}" via="LLDP" rid="${(i % switches.length) + 1}">`,
      '  <chassis label="Chassis">',
      `   <id label="ChassisID" type="mac">${derivedMac(`tor/${tor.switchName}`)}</id>`,
      `   <name label="SysName">${xml(tor.switchName)}</name>`,
      ...(tor.mgmtIp ? [`   <mgmt-ip label="MgmtIP">${xml(tor.mgmtIp)}</mgmt-ip>`] : []),
      '  </chassis>',
      '  <port label="Port">',
      `   <id label="PortID" type="ifname">${port}</id>`,
      `   <descr label="PortDescr">${xml(`${node.name} ${nic.logicalName}`)}</descr>`,
      '  </port>',
      ' </interface>',
    );
  });
  lines.push('</lldp>');
  return lines.join('\n');
}

/** The records collectBuildData returns, dated when commissioning finished. */
export function buildDataOf(node: BaremetalNode, site: SiteModel, row: MachineRow, commissioned: Date): CollectedBuildData[] {
  const inv = inventoryOf(node, site, row.bootMac ?? '');
  const base = { nodeName: node.name, collectedDate: commissioned };
  return [
    { ...base, generator: 'lshw', dataFormat: 'application/json', dataElement: JSON.stringify(lshwDocument(node, site, row, inv)) },
    { ...base, generator: 'lldp', dataFormat: 'text/xml', dataElement: lldpDocument(node, site, inv) },
  ];
}

/**
 * Deploy-stage output: MAAS keeps the installation result of a deployment
 * (curtin's log, named `/tmp/install.log`), and Drydock's DeployNode saves it
 * as `deploy:<name>`, text/plain, dated when the deployment finished.
 */
export function installLogOf(node: BaremetalNode, deployed: Date): CollectedBuildData {
  const { image, kernel } = node.platform;
  const lines = [
    `curtin: Installation started on ${node.name}.`,
    'start: cmd-install/stage-partitioning: curtin command block-meta',
    'finish: cmd-install/stage-partitioning: SUCCESS: curtin command block-meta',
    `start: cmd-install/stage-extract: curtin command extract (image ${image ?? 'default'})`,
    'finish: cmd-install/stage-extract: SUCCESS: curtin command extract',
    `start: cmd-install/stage-curthooks: curtin command curthooks (kernel ${kernel ?? 'default'})`,
    'finish: cmd-install/stage-curthooks: SUCCESS: curtin command curthooks',
    'curtin: Installation finished.',
  ];
  return {
    nodeName: node.name,
    collectedDate: deployed,
    generator: 'deploy:/tmp/install.log',
    dataFormat: 'text/plain',
    dataElement: `${lines.join('\n')}\n`,
  };
}
