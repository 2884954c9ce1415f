import { describe, expect, it } from 'vitest';
import { compileClean, designDoc, hardwareProfile, network } from './builders.ts';

const SDN = 'polo+https://api.sdn.example.com/switchmgmt?switch=switch01name';

describe('per-kind mapping', () => {
  it('maps a Region with tag definitions, keys and repositories (arches default to amd64)', () => {
    const site = compileClean(
      designDoc('Region', 'sitename', {
        tag_definitions: [{ tag: 'high_memory', definition_type: 'lshw_xpath', definition: '//node[@id="memory"]' }],
        authorized_keys: ['ssh-rsa AAAA'],
        repositories: {
          remove_unlisted: true,
          docker: { repo_type: 'apt', url: 'https://download.docker.com', distributions: ['xenial'], components: ['stable'] },
        },
      }),
    );
    expect(site.region).toEqual({
      name: 'sitename',
      doc: { schema: 'drydock/Region/v1', name: 'sitename' },
      tagDefinitions: [{ tag: 'high_memory', type: 'lshw_xpath', definition: '//node[@id="memory"]' }],
      authorizedKeys: ['ssh-rsa AAAA'],
      repositories: {
        removeUnlisted: true,
        list: [
          {
            name: 'docker',
            url: 'https://download.docker.com',
            repoType: 'apt',
            gpgkey: null,
            distributions: ['xenial'],
            subrepos: null,
            components: ['stable'],
            arches: ['amd64'],
            options: null,
          },
        ],
      },
    });
  });

  it('keeps Rack labels for rack_labels filters and reads sdn_api_uri (Drydock dropped one, misread the other)', () => {
    const site = compileClean(
      designDoc(
        'Rack',
        'rack1',
        {
          tor_switches: { switch01: { mgmt_ip: '1.1.1.1', sdn_api_uri: SDN } },
          location: { clli: 'HSTNTXMOCG0', grid: 'EG12' },
          local_networks: ['pxe-rack1'],
        },
        { zone: 'a' },
      ),
    );
    expect(site.racks.get('rack1')).toEqual({
      name: 'rack1',
      doc: { schema: 'drydock/Rack/v1', name: 'rack1' },
      labels: { zone: 'a' },
      torSwitches: [
        { switchName: 'switch01', mgmtIp: '1.1.1.1', sdnApiUri: SDN },
      ],
      location: { clli: 'HSTNTXMOCG0', grid: 'EG12' },
      localNetworks: ['pxe-rack1'],
    });
  });

  it('maps a Network, with metadata labels and body labels together', () => {
    const site = compileClean(
      network(
        'oam',
        {
          cidr: '172.16.1.0/24',
          vlan: '100',
          mtu: 1500,
          ranges: [{ type: 'static', start: '172.16.1.15', end: '172.16.1.254' }],
          dns: { domain: 'example.com', servers: '172.16.1.9' },
          dhcp_relay: { self_ip: '172.16.1.2', upstream_target: '10.0.0.5' },
          labels: { purpose: 'oam' },
        },
        { app: 'drydock' },
      ),
    );
    expect(site.networks.get('oam')).toEqual({
      name: 'oam',
      doc: { schema: 'drydock/Network/v1', name: 'oam' },
      labels: { app: 'drydock', purpose: 'oam' },
      cidr: '172.16.1.0/24',
      vlanId: '100',
      routedomain: null,
      mtu: 1500,
      dnsDomain: 'example.com',
      dnsServers: ['172.16.1.9'],
      ranges: [{ type: 'static', start: '172.16.1.15', end: '172.16.1.254' }],
      routes: [],
      dhcpRelay: { selfIp: '172.16.1.2', upstreamTarget: '10.0.0.5' },
    });
  });

  it("fills Drydock's bonding defaults for 802.3ad links and none for unbonded ones", () => {
    const site = compileClean(
      designDoc('NetworkLink', 'gp', {
        bonding: { mode: '802.3ad', mon_rate: 50 },
        mtu: 9000,
        linkspeed: 'auto',
        trunking: { mode: '802.1q', default_network: 'mgmt' },
        allowed_networks: ['mgmt', 'private'],
      }),
      designDoc('NetworkLink', 'pxe', { bonding: { mode: 'disabled', hash: 'layer2' }, mtu: 1500 }),
    );
    expect(site.networkLinks.get('gp')).toMatchObject({
      bondingMode: '802.3ad',
      bondingXmitHash: 'layer3+4',
      bondingPeerRate: 'fast',
      bondingMonRate: 50,
      bondingUpDelay: 200,
      bondingDownDelay: 200,
      mtu: 9000,
      linkspeed: 'auto',
      trunkMode: '802.1q',
      nativeNetwork: 'mgmt',
      allowedNetworks: ['mgmt', 'private'],
    });
    expect(site.networkLinks.get('pxe')).toMatchObject({
      bondingMode: 'disabled',
      bondingXmitHash: null,
      bondingMonRate: null,
      trunkMode: 'disabled',
      nativeNetwork: null,
      allowedNetworks: [],
    });
  });

  it('maps a HardwareProfile with device aliases, cpu sets and hugepages', () => {
    const site = compileClean(
      hardwareProfile('HPGen9v3', {
        vendor: 'HP',
        generation: '8',
        hw_version: '3',
        bios_version: '2.2.3',
        boot_mode: 'bios',
        bootstrap_protocol: 'pxe',
        pxe_interface: 0,
        device_aliases: {
          prim_nic01: { address: '0000:00:03.0', dev_type: '82540EM Gigabit Ethernet Controller', bus_type: 'pci' },
          primary_boot: { address: '2:0.0.0', dev_type: 'VBOX HARDDISK', bus_type: 'scsi' },
        },
        cpu_sets: { sriov: '2,4' },
        hugepages: { sriov: { size: '1G', count: 300 } },
      }),
    );
    expect(site.hardwareProfiles.get('HPGen9v3')).toEqual({
      name: 'HPGen9v3',
      doc: { schema: 'drydock/HardwareProfile/v1', name: 'HPGen9v3' },
      vendor: 'HP',
      generation: '8',
      hwVersion: '3',
      biosVersion: '2.2.3',
      bootMode: 'bios',
      bootstrapProtocol: 'pxe',
      pxeInterface: '0',
      deviceAliases: {
        prim_nic01: { address: '0000:00:03.0', busType: 'pci', devType: '82540EM Gigabit Ethernet Controller' },
        primary_boot: { address: '2:0.0.0', busType: 'scsi', devType: 'VBOX HARDDISK' },
      },
      cpuSets: { sriov: '2,4' },
      hugepages: { sriov: { size: '1G', count: 300 } },
    });
  });
});
