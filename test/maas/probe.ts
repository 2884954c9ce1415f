import type { SimMachine } from './model.ts';

/**
 * Minimal lshw and lldpd XML for a commissioned machine: enough of lshw's
 * `-xml` output (node/@class, product, vendor, serial, size) for a client to
 * build hardware data from; not a full lshw document.
 */
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function lshwXml(m: SimMachine): string {
  // lshw names a SCSI disk's bus address `scsi@<host>:<channel>.<target>.<lun>` (what hardware profiles' device aliases hold).
  const disks = m.blockDevices.map((d, i) => `
      <node id="disk" claimed="true" class="disk" handle="SCSI:0${i}:00:00:00">
        <description>ATA Disk</description><product>${esc(d.model)}</product>
        <businfo>scsi@${d.scsi ?? `${i}:0.0.0`}</businfo><logicalname>/dev/${esc(d.name)}</logicalname><serial>${esc(d.serial)}</serial>
        <size units="bytes">${d.size}</size>
      </node>`).join('');
  const nics = m.interfaces.filter((i) => i.type === 'physical').map((i) => `
      <node id="network" claimed="true" class="network" handle="">
        <description>Ethernet interface</description><product>SIM NIC</product><vendor>Simulated</vendor>
        ${i.businfo ? `<businfo>${esc(i.businfo)}</businfo>` : ''}<logicalname>${esc(i.name)}</logicalname><serial>${i.macAddress}</serial>
        <capacity>10000000000</capacity>
      </node>`).join('');
  return `<?xml version="1.0" standalone="yes" ?>
<list>
  <node id="${esc(m.hostname)}" claimed="true" class="system" handle="DMI:0001">
    <description>Rack Mount Chassis</description><product>SIM-1</product><vendor>Simulated</vendor>
    <serial>${m.systemId}</serial>
    <node id="core" claimed="true" class="bus" handle="">
      <node id="memory" claimed="true" class="memory" handle=""><size units="bytes">${m.memory * 1024 * 1024}</size></node>
      <node id="cpu" claimed="true" class="processor" handle=""><product>Simulated CPU</product></node>${disks}${nics}
    </node>
  </node>
</list>
`;
}

export function lldpXml(m: SimMachine): string {
  const ifaces = m.interfaces.filter((i) => i.type === 'physical').map((i) => `
  <interface label="Interface" name="${esc(i.name)}" via="LLDP">
    <chassis label="Chassis"><name label="SysName">sim-switch</name></chassis>
    <port label="Port"><id label="PortID" type="ifname">Ethernet${i.id}</id></port>
  </interface>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<lldp label="LLDP neighbors">${ifaces}\n</lldp>\n`;
}
