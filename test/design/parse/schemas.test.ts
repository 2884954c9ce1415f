import { describe, expect, it } from 'vitest';
import type { DesignKind } from '../../../src/design/model.ts';
import { parseDesign } from '../../../src/design/parse/documents.ts';
import { designKinds, formatPath, validateDesignData } from '../../../src/design/schemas/index.ts';
import { deckhand } from './build.ts';

/** DD001 messages of one Deckhand document, as `path: reason`. */
function schemaErrors(kind: DesignKind, data: unknown): string[] {
  return parseDesign(deckhand(kind, 'doc', data))
    .messages.filter((m) => m.name === 'DD001')
    .map((m) => m.message.replace(`Schema validation error in drydock/${kind}/v1 'doc' at `, ''));
}

const accepts = (kind: DesignKind, data: unknown) => expect(validateDesignData(kind, data)).toEqual([]);

interface Case {
  accepted: Record<string, unknown>;
  rejected: Record<string, unknown>;
  errors: string[];
}

const cases: Record<DesignKind, Case> = {
  Region: {
    accepted: {
      tag_definitions: [{ tag: 'big', definition_type: 'lshw_xpath', definition: '//node' }],
      authorized_keys: ['ssh-ed25519 AAAA ops'],
      repositories: { remove_unlisted: false, ubuntu: { url: 'http://mirror', repo_type: 'apt' } },
    },
    rejected: { tag_definitions: [{ tag: 'big', definition_type: 'xpath' }], authorized_keys: 'ssh-rsa AAAA' },
    errors: [
      "data.tag_definitions[0].definition_type: \"xpath\" is not one of ['lshw_xpath']",
      "data.authorized_keys: \"ssh-rsa AAAA\" is not of type 'array'",
    ],
  },
  Rack: {
    accepted: {
      tor_switches: { sw1: { mgmt_ip: '10.0.0.2', sdn_api_uri: 'https://sdn/sw1' } },
      location: { clli: 'HSTNTX01', grid: 'EG12', room: '4' },
      local_networks: ['pxe-rack1'],
      labels: { zone: 'az1' },
    },
    rejected: { location: { clli: 5 }, local_networks: [1], tor_switch: {} },
    errors: [
      "data.location.clli: 5 is not of type 'string'",
      "data.local_networks[0]: 1 is not of type 'string'",
      "data.tor_switch: Additional properties are not allowed ('tor_switch' was unexpected)",
    ],
  },
  Network: {
    accepted: {
      cidr: '172.16.1.0/24',
      vlan: '100',
      mtu: 1500,
      routedomain: 'storage',
      ranges: [{ type: 'static', start: '172.16.1.15', end: '172.16.1.254' }],
      routes: [{ subnet: '0.0.0.0/0', gateway: '172.16.1.1', metric: 10 }, { routedomain: 'storage', gateway: '172.16.1.1' }],
      dns: { domain: 'example.com', servers: '172.16.1.9,172.16.1.10' },
      dhcp_relay: { self_ip: '172.16.1.2', upstream_target: '172.16.5.5' },
      labels: { anything: ['goes'] },
    },
    rejected: { cidr: ['172.16.1.0/24'], vlan: 100, dns: { servers: ['8.8.8.8'] }, routes: [{ gateway: '172.16.1.1', via: 'x' }] },
    errors: [
      "data.cidr: [...] is not of type 'string'",
      "data.dns.servers: [...] is not of type 'string'",
      "data.vlan: 100 is not of type 'string'",
      "data.routes[0].via: Additional properties are not allowed ('via' was unexpected)",
    ],
  },
  NetworkLink: {
    accepted: {
      bonding: { mode: '802.3ad', hash: 'layer3+4', peer_rate: 'slow', mon_rate: 100, up_delay: 200, down_delay: 200 },
      mtu: 9000,
      linkspeed: 'auto',
      trunking: { mode: '802.1q', default_network: 'mgmt' },
      allowed_networks: ['mgmt', 'private'],
      labels: { noconfig: 'true' },
    },
    rejected: { bonding: { mode: '802.3ad', lacp_rate: 'fast', mon_rate: '100' }, mtu: '9000' },
    errors: [
      "data.bonding.mon_rate: \"100\" is not of type 'number'",
      "data.bonding.lacp_rate: Additional properties are not allowed ('lacp_rate' was unexpected)",
      "data.mtu: \"9000\" is not of type 'number'",
    ],
  },
  HardwareProfile: {
    accepted: {
      vendor: 'Dell',
      generation: '14',
      hw_version: '1',
      bios_version: '2.8.2',
      boot_mode: 'uefi',
      bootstrap_protocol: 'pxe',
      pxe_interface: 0,
      device_aliases: { nic1: { address: '0000:00:03.0', bus_type: 'pci', dev_type: 'X710' } },
      cpu_sets: { kvm: '4-21' },
      hugepages: { dpdk: { size: '1G', count: 32 } },
    },
    rejected: { boot_mode: 'efi', pxe_interface: '0', cpu_sets: { kvm: 4 }, generation: 14 },
    errors: [
      "data.generation: 14 is not of type 'string'",
      "data.boot_mode: \"efi\" is not one of ['bios', 'uefi']",
      "data.pxe_interface: \"0\" is not of type 'number'",
      "data.cpu_sets.kvm: 4 is not of type 'string'",
    ],
  },
  HostProfile: {
    accepted: {
      host_profile: 'defaults',
      hardware_profile: 'dell',
      primary_network: 'mgmt',
      oob: { type: 'ipmi', network: 'oob', account: 'root', credential: 'calvin', port: 623 },
      storage: {
        physical_devices: {
          sda: { labels: { role: 'root' }, partitions: [{ name: 'root', size: '20g', bootable: true, filesystem: { mountpoint: '/', fstype: 'ext4' } }] },
          sdb: { volume_group: 'vg' },
        },
        volume_groups: { vg: { vg_uuid: 'abc', logical_volumes: [{ name: 'lv', size: '50%', filesystem: { mountpoint: '/var', extra: 'ok' } }] } },
      },
      platform: { image: 'xenial', kernel: 'ga-16.04', kernel_params: { quiet: true, console: 'ttyS1' } },
      metadata: { tags: ['compute'], owner_data: { role: 'compute' }, rack: 'rack1', boot_mac: 'aa:bb:cc:dd:ee:ff' },
      interfaces: { '!pxe': {}, bond0: { device_link: 'gp', slaves: ['nic1'], networks: ['mgmt'], sriov: { vf_count: 2, trustmode: true } } },
    },
    rejected: {
      addressing: [],
      storage: { physical_devices: { sda: { partitions: [{ name: 'root', size: 20, fs_type: 'ext4', filesystem: { mount: '/' } }] } } },
      interfaces: { bond0: { sriov: { vf_count: 'two' } } },
    },
    errors: [
      "data.storage.physical_devices.sda.partitions[0].size: 20 is not of type 'string'",
      "data.storage.physical_devices.sda.partitions[0].filesystem.mount: Additional properties are not allowed ('mount' was unexpected)",
      "data.storage.physical_devices.sda.partitions[0].fs_type: Additional properties are not allowed ('fs_type' was unexpected)",
      "data.interfaces.bond0.sriov.vf_count: \"two\" is not of type 'number'",
      "data.addressing: Additional properties are not allowed ('addressing' was unexpected)",
    ],
  },
  BaremetalNode: {
    accepted: {
      host_profile: 'compute',
      addressing: [{ network: 'pxe', address: 'dhcp' }, { network: 'mgmt', address: '10.0.0.5' }],
      interfaces: { bond0: { networks: ['!private'] } },
      metadata: { rack: 'rack1', tags: ['x'] },
    },
    rejected: {
      addressing: [{ network: 'mgmt', address: '10.0.0.5' }],
      hostname: 'n1',
      metadata: { rack: 'rack1', labels: { a: 'b' } },
      platform: { kernel_params: 'quiet' },
    },
    errors: [
      "data.platform.kernel_params: \"quiet\" is not of type 'object'",
      "data.metadata.labels: Additional properties are not allowed ('labels' was unexpected)",
      "data.hostname: Additional properties are not allowed ('hostname' was unexpected)",
    ],
  },
  BootAction: {
    accepted: {
      signaling: false,
      node_filter: { filter_set_type: 'union', filter_set: [{ filter_type: 'intersection', node_tags: ['a'], rack_labels: { zone: 'az1' } }] },
      assets: [
        { type: 'file', path: '/var/tmp/hello.sh', permissions: '555', data: 'ZWNobwo=', data_pipeline: ['base64_decode', 'utf8_decode', 'template'] },
        { type: 'pkg_list', data: { ipmitool: null, 'docker.io': '18.09.7-0ubuntu1' } },
        { type: 'unit', location: 'http://x/{{ node.hostname }}', location_pipeline: ['template'] },
      ],
    },
    rejected: {
      signaling: 'yes',
      assets: [{ path: 'var/tmp/x', permissions: 644 }, { type: 'tarball', data: 5 }, { type: 'pkg_list', data: { p: 1 }, data_pipeline: ['gzip'] }],
      node_filter: { filter_set_type: 'all' },
    },
    errors: [
      "data.signaling: \"yes\" is not of type 'boolean'",
      "data.assets[0].path: \"var/tmp/x\" does not match '^/.+'",
      "data.assets[0].type: 'type' is a required property",
      "data.assets[0].permissions: 644 is not of type 'string'",
      "data.assets[1].type: \"tarball\" is not one of ['unit', 'file', 'pkg_list']",
      'data.assets[1].data: 5 is not valid under any of the given schemas',
      'data.assets[2].data: {...} is not valid under any of the given schemas',
      "data.assets[2].data_pipeline[0]: \"gzip\" is not one of ['base64_encode', 'template', 'base64_decode', 'utf8_encode', 'utf8_decode']",
      "data.node_filter.filter_set_type: \"all\" is not one of ['intersection', 'union']",
    ],
  },
};

describe('design schemas, per kind', () => {
  it('cover every kind', () => {
    expect(Object.keys(cases).sort()).toEqual([...designKinds].sort());
  });

  describe.each(designKinds)('%s', (kind) => {
    const { accepted, rejected, errors } = cases[kind];

    it('accepts a document its published schema accepts', () => {
      accepts(kind, accepted);
      expect(schemaErrors(kind, accepted)).toEqual([]);
    });

    it('rejects a document its published schema rejects, reporting each path', () => {
      expect(schemaErrors(kind, rejected)).toEqual(errors);
    });

    it('rejects an array where an object is required', () => {
      expect(validateDesignData(kind, [])).toEqual([{ path: [], message: "[...] is not of type 'object'" }]);
    });
  });
});

describe('YAML types meet the schemas as they do in Drydock', () => {
  it('rejects an unquoted vlan and an octal permissions, which YAML reads as numbers', () => {
    expect(schemaErrors('Network', { vlan: 100 })).toEqual(["data.vlan: 100 is not of type 'string'"]);
    const text = '---\nschema: drydock/BootAction/v1\nmetadata: {name: doc}\ndata:\n  assets:\n    - {type: file, path: /x, permissions: 0644}\n';
    expect(parseDesign(text).messages[0]?.message).toContain("data.assets[0].permissions: 420 is not of type 'string'");
  });

  it('keeps a kernel parameter value y as a string, as PyYAML does', () => {
    const text = '---\nschema: drydock/HostProfile/v1\nmetadata: {name: doc}\ndata:\n  platform:\n    kernel_params: {nomodeset: y, quiet: yes}\n';
    expect(parseDesign(text).documents[0]?.data).toEqual({ platform: { kernel_params: { nomodeset: 'y', quiet: true } } });
  });
});

describe('formatPath', () => {
  it('writes identifiers with dots, indexes in brackets and other keys quoted', () => {
    expect(formatPath('data', ['storage', 'physical_devices', 'sda', 'partitions', 0, 'size'])).toBe(
      'data.storage.physical_devices.sda.partitions[0].size',
    );
    expect(formatPath('spec', ['device_aliases', '0000:00:03.0', 'bus-type'])).toBe('spec.device_aliases["0000:00:03.0"]["bus-type"]');
    expect(formatPath('', ['a', 1])).toBe('a[1]');
  });
});
