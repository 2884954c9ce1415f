import { describe, expect, it } from 'vitest';
import type { DesignKind } from '../../../src/design/model.ts';
import { validateDesignData } from '../../../src/design/schemas/index.ts';

const accepts = (kind: DesignKind, data: unknown) => expect(validateDesignData(kind, data)).toEqual([]);

describe('design schemas: quirks of the published schemas, kept as jsonschema applies them', () => {
  it('leaves Region repository entries unchecked (the schema misspells additionalProperties)', () => {
    accepts('Region', { repositories: { docker: { url: 'http://x' }, weird: ['not', 'checked'] } });
    expect(validateDesignData('Region', { repositories: { remove_unlisted: 'yes' } })).toEqual([
      { path: ['repositories', 'remove_unlisted'], message: "\"yes\" is not of type 'boolean'" },
    ]);
  });

  it('only types hugepages entries as objects (the schema misspells properties)', () => {
    accepts('HardwareProfile', { hugepages: { dpdk: { size: 1, count: 'many' } } });
    expect(validateDesignData('HardwareProfile', { hugepages: { dpdk: '1G' } })[0]?.message).toBe("\"1G\" is not of type 'object'");
  });

  it('checks tor_switches keys literally named mgmt_ip or sdn_api_uri, not each switch', () => {
    accepts('Rack', { tor_switches: { sw1: 'anything', sw2: { mgmt_ip: 5 } } });
    expect(validateDesignData('Rack', { tor_switches: { mgmt_ip: 5 } })[0]?.path).toEqual(['tor_switches', 'mgmt_ip']);
  });

  it('does not check format: ipv4 or uri, as Drydock runs jsonschema without a format checker', () => {
    accepts('Network', { ranges: [{ start: 'fd00::10', end: 'not an address' }], dhcp_relay: { self_ip: 'x' } });
    accepts('Rack', { tor_switches: { mgmt_ip: 'x', sdn_api_uri: 'not a uri' } });
  });

  it('keeps logical volumes and their filesystems open but partitions and theirs closed', () => {
    accepts('HostProfile', { storage: { volume_groups: { vg: { extra: 1, logical_volumes: [{ name: 'lv', x: 1, filesystem: { y: 2 } }] } } } });
    expect(validateDesignData('HostProfile', { storage: { physical_devices: { sda: { extra: 1, partitions: [{ x: 1 }] } } } })).toEqual([
      { path: ['storage', 'physical_devices', 'sda', 'partitions', 0, 'x'], message: "Additional properties are not allowed ('x' was unexpected)" },
    ]);
  });

  it('types sriov only on HostProfile interfaces', () => {
    expect(validateDesignData('HostProfile', { interfaces: { eth0: { sriov: 'on' } } })).toHaveLength(1);
    accepts('BaremetalNode', { interfaces: { eth0: { sriov: 'on' } } });
  });

  it('refuses a null interface, so removal from a parent profile is written as a !-prefixed key', () => {
    accepts('HostProfile', { interfaces: { '!pxe': {} } });
    expect(validateDesignData('HostProfile', { interfaces: { pxe: null } })[0]?.message).toBe("null is not of type 'object'");
  });

  it('treats any number as a number, NaN included, but not a boolean', () => {
    accepts('Network', { mtu: Number.NaN });
    accepts('Network', { mtu: 1500.5 });
    expect(validateDesignData('Network', { mtu: true })[0]?.message).toBe("true is not of type 'number'");
  });

  it('searches patterns anywhere, as Python re.search does, with Unicode digits for \\d', () => {
    accepts('BootAction', { assets: [{ type: 'file', path: '/x', permissions: 'mode 0644' }] });
    accepts('BootAction', { assets: [{ type: 'file', permissions: '٦٤٤' }] });
    expect(validateDesignData('BootAction', { assets: [{ type: 'file', permissions: '64' }] })[0]?.message).toBe("\"64\" does not match '\\d{3}'");
    expect(validateDesignData('BootAction', { assets: [{ type: 'file', path: '/\n' }] })[0]?.message).toBe("\"/\\n\" does not match '^/.+'");
  });

  it('reports every unknown key of an object, not only the first', () => {
    expect(validateDesignData('Network', { a: 1, b: 2, c: 3 }).map((i) => i.path)).toEqual([['a'], ['b'], ['c']]);
  });
});
