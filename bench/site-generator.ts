/**
 * Generates a realistic Deckhand-format site design of N nodes: a region,
 * racks of 40 nodes (with labels), PXE/OOB/management/storage networks, a
 * bonded trunk link, a hardware profile, a parent and a child host profile,
 * static addressing, and two boot actions (one filtered). Used by the design
 * benchmark and by tests that check the pipeline stays linear.
 */
export interface GeneratedSite {
  yaml: string;
  nodeNames: string[];
  rackNames: string[];
}

const ip = (base: number, i: number) => `10.${base}.${Math.floor((i + 10) / 250)}.${((i + 10) % 250) + 1}`;

function doc(schema: string, name: string, data: string, labels = ''): string {
  return `---
schema: drydock/${schema}/v1
metadata:
  schema: metadata/Document/v1
  name: ${name}
  layeringDefinition: {abstract: false, layer: site}
${labels ? `  labels:\n${labels}` : ''}  storagePolicy: cleartext
data:
${data}`;
}

function network(name: string, octet: number, extra = '', mtu = 1500): string {
  return doc(
    'Network',
    name,
    `  cidr: 10.${octet}.0.0/16
  mtu: ${mtu}
  dns:
    domain: ${name}.example.com
    servers: 10.${octet}.0.2
  ranges:
    - type: static
      start: 10.${octet}.0.10
      end: 10.${octet}.250.250
${extra}`,
  );
}

export function generateSite(nodeCount: number): GeneratedSite {
  const parts: string[] = [];
  parts.push(
    doc('Region', 'bench-site', `  tag_definitions: []\n  authorized_keys: []\n`),
  );
  const rackNames: string[] = [];
  for (let r = 0; r * 40 < nodeCount; r++) {
    const rack = `rack${String(r).padStart(3, '0')}`;
    rackNames.push(rack);
    parts.push(
      doc(
        'Rack',
        rack,
        `  tor_switches:\n    ${rack}-tor:\n      mgmt_ip: 10.1.${r % 250}.1\n  location:\n    clli: BENCH01\n  local_networks: [pxe]\n`,
        `    zone: zone${r % 4}\n`,
      ),
    );
  }
  parts.push(
    doc('NetworkLink', 'pxe-link', `  bonding:\n    mode: disabled\n  mtu: 1500\n  linkspeed: auto\n  trunking:\n    mode: disabled\n    default_network: pxe\n  allowed_networks: [pxe]\n`),
    doc('NetworkLink', 'oob-link', `  bonding:\n    mode: disabled\n  mtu: 1500\n  linkspeed: auto\n  trunking:\n    mode: disabled\n    default_network: oob\n  allowed_networks: [oob]\n`),
    doc(
      'NetworkLink',
      'data-bond',
      `  bonding:\n    mode: 802.3ad\n    hash: layer3+4\n    peer_rate: fast\n    mon_rate: 100\n    up_delay: 200\n    down_delay: 200\n  mtu: 9000\n  linkspeed: auto\n  trunking:\n    mode: 802.1q\n    default_network: mgmt\n  allowed_networks: [mgmt, storage]\n`,
    ),
    network('oob', 10),
    network('pxe', 20),
    network('mgmt', 30, `  vlan: '100'\n  routedomain: dc\n  routes:\n    - subnet: 0.0.0.0/0\n      gateway: 10.30.0.1\n      metric: 10\n`),
    network('storage', 40, `  vlan: '200'\n  routedomain: dc\n`, 9000),
    doc(
      'HardwareProfile',
      'generic',
      `  vendor: Dell\n  generation: '10'\n  hw_version: '1'\n  bios_version: '2.2.3'\n  boot_mode: bios\n  bootstrap_protocol: pxe\n  pxe_interface: 0\n  device_aliases:\n    pxe_nic01:\n      address: '0000:00:03.0'\n      dev_type: 82540EM Gigabit Ethernet Controller\n      bus_type: pci\n    data_nic01:\n      address: '0000:00:04.0'\n      dev_type: 82540EM Gigabit Ethernet Controller\n      bus_type: pci\n    data_nic02:\n      address: '0000:00:05.0'\n      dev_type: 82540EM Gigabit Ethernet Controller\n      bus_type: pci\n    bootdisk:\n      address: '2:0.0.0'\n      dev_type: INTEL SSDSC2BB48\n      bus_type: scsi\n  cpu_sets:\n    kvm: '4-43'\n  hugepages:\n    dpdk:\n      size: '1G'\n      count: 32\n`,
    ),
    doc(
      'HostProfile',
      'defaults',
      `  oob:\n    type: ipmi\n    network: oob\n    account: admin\n    credential: password\n  storage:\n    physical_devices:\n      bootdisk:\n        labels:\n          role: root\n        partitions:\n          - name: root\n            size: 30g\n            bootable: true\n            filesystem:\n              mountpoint: '/'\n              fstype: 'ext4'\n              mount_options: 'defaults'\n          - name: boot\n            size: 1g\n            filesystem:\n              mountpoint: '/boot'\n              fstype: 'ext4'\n              mount_options: 'defaults'\n          - name: var\n            size: '>100g'\n            filesystem:\n              mountpoint: '/var'\n              fstype: 'ext4'\n              mount_options: 'defaults'\n  platform:\n    image: focal\n    kernel: ga-20.04\n    kernel_params:\n      console: ttyS1,115200n8\n  metadata:\n    tags: [base]\n    owner_data:\n      role: compute\n`,
    ),
    doc(
      'HostProfile',
      'compute',
      `  host_profile: defaults\n  hardware_profile: generic\n  primary_network: mgmt\n  interfaces:\n    pxe:\n      device_link: pxe-link\n      slaves: [pxe_nic01]\n      networks: [pxe]\n    bond0:\n      device_link: data-bond\n      slaves: [data_nic01, data_nic02]\n      networks: [mgmt, storage]\n  platform:\n    kernel_params:\n      hugepagesz: 'hardwareprofile:hugepages.dpdk.size'\n      hugepages: 'hardwareprofile:hugepages.dpdk.count'\n  metadata:\n    tags: [compute]\n`,
    ),
  );
  const nodeNames: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const name = `node${String(i).padStart(5, '0')}`;
    nodeNames.push(name);
    const rack = rackNames[Math.floor(i / 40)]!;
    parts.push(
      doc(
        'BaremetalNode',
        name,
        `  host_profile: compute\n  addressing:\n    - network: oob\n      address: ${ip(10, i)}\n    - network: pxe\n      address: dhcp\n    - network: mgmt\n      address: ${ip(30, i)}\n    - network: storage\n      address: ${ip(40, i)}\n  metadata:\n    rack: ${rack}\n    tags: [${i % 3 === 0 ? 'masters' : 'workers'}]\n    owner_data:\n      tier: t${i % 2}\n`,
      ),
    );
  }
  parts.push(
    doc(
      'BootAction',
      'hello-world',
      `  signaling: true\n  assets:\n    - path: /etc/hello-world\n      type: file\n      permissions: '444'\n      data: aGVsbG8gd29ybGQK\n      data_pipeline: [base64_decode, utf8_decode, template]\n`,
    ),
    doc(
      'BootAction',
      'masters-only',
      `  signaling: false\n  node_filter:\n    filter_set_type: union\n    filter_set:\n      - filter_type: intersection\n        node_tags: [masters]\n  assets:\n    - type: pkg_list\n      data:\n        docker.io: '20.10.7-0ubuntu5~20.04.2'\n        jq: null\n`,
    ),
  );
  return { yaml: `${parts.join('\n')}\n...\n`, nodeNames, rackNames };
}
