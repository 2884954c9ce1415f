import { describe, expect, it } from 'vitest';
import { parseDesign } from '../../../src/design/parse/documents.ts';
import { deckhand } from './build.ts';

describe('parseDesign: what Drydock refuses when it builds its model (DD000)', () => {
  const processing = (text: string) =>
    parseDesign(text).messages.map((m) => [m.name, m.message]);

  it('refuses a bonding or trunking mode Drydock does not know (the schema has no enum)', () => {
    const text = deckhand('NetworkLink', 'gp', { bonding: { mode: 'lacp' }, trunking: { mode: 'vlan' } });
    expect(processing(text)).toEqual([
      ['DD000', "Error processing drydock/NetworkLink/v1 'gp' at data.bonding.mode: \"lacp\" is not one of ['disabled', '802.3ad', 'balance-rr', 'active-backup']"],
      ['DD000', "Error processing drydock/NetworkLink/v1 'gp' at data.trunking.mode: \"vlan\" is not one of ['disabled', '802.1q']"],
    ]);
    expect(parseDesign(text).documents).toEqual([]);
  });

  it('refuses a node without an address, or with an assignment missing its address or network', () => {
    expect(processing(deckhand('BaremetalNode', 'n1', {}))).toEqual([
      ['DD000', "Error processing drydock/BaremetalNode/v1 'n1' at data.addressing: BaremetalNode needs at least 1 assigned address"],
    ]);
    expect(processing(deckhand('BaremetalNode', 'n2', { addressing: [{ network: 'pxe' }, { address: 'dhcp' }] }))).toEqual([
      ['DD000', "Error processing drydock/BaremetalNode/v1 'n2' at data.addressing[0].address: 'address' must be an IP address or 'dhcp'"],
      ['DD000', "Error processing drydock/BaremetalNode/v1 'n2' at data.addressing[1].network: 'network' is a required property"],
    ]);
  });

  it('refuses a boot action without assets, a non-octal mode and a filter without its type', () => {
    expect(processing(deckhand('BootAction', 'b1', {}))).toEqual([
      ['DD000', "Error processing drydock/BootAction/v1 'b1' at data.assets: 'assets' is a required property"],
    ]);
    const text = deckhand('BootAction', 'b2', {
      assets: [{ type: 'file', path: '/x', permissions: '789' }],
      node_filter: { filter_set: [{ node_names: ['n1'], node_labels: { role: 1 } }] },
    });
    expect(processing(text)).toEqual([
      ['DD000', "Error processing drydock/BootAction/v1 'b2' at data.assets[0].permissions: \"789\" is not an octal file mode"],
      ['DD000', "Error processing drydock/BootAction/v1 'b2' at data.node_filter.filter_set_type: 'filter_set_type' is a required property"],
      ['DD000', "Error processing drydock/BootAction/v1 'b2' at data.node_filter.filter_set[0].filter_type: 'filter_type' is a required property"],
      ['DD000', "Error processing drydock/BootAction/v1 'b2' at data.node_filter.filter_set[0].node_labels.role: 1 is not of type 'string'"],
    ]);
  });

  it('refuses hugepages and device aliases Drydock cannot build (their schema checks almost nothing)', () => {
    const text = deckhand('HardwareProfile', 'hw', {
      hugepages: { dpdk: { size: '1G', count: -1 }, vm: { count: 2 } },
      device_aliases: { nic: { address: '0000:00:03.0' }, disk: 'sda' },
    });
    expect(processing(text)).toEqual([
      ['DD000', "Error processing drydock/HardwareProfile/v1 'hw' at data.device_aliases.nic.bus_type: 'bus_type' must be a string"],
      ['DD000', "Error processing drydock/HardwareProfile/v1 'hw' at data.device_aliases.disk: \"sda\" is not of type 'object'"],
      ['DD000', "Error processing drydock/HardwareProfile/v1 'hw' at data.hugepages.dpdk.count: 'count' must be a non-negative integer"],
      ['DD000', "Error processing drydock/HardwareProfile/v1 'hw' at data.hugepages.vm.size: 'size' must be a string such as '1G'"],
    ]);
  });

  it('refuses repositories Drydock cannot build (their schema is never applied)', () => {
    const text = deckhand('Region', 'site', {
      repositories: { remove_unlisted: true, ok: { url: 'http://x', repo_type: 'apt' }, flat: 'http://x', bad: { url: 'http://y', repo_type: 'apt', arches: 'amd64' } },
    });
    expect(processing(text)).toEqual([
      ['DD000', "Error processing drydock/Region/v1 'site' at data.repositories.flat: \"http://x\" is not of type 'object'"],
      ['DD000', "Error processing drydock/Region/v1 'site' at data.repositories.bad.arches: \"amd64\" is not a list of strings"],
    ]);
  });
});
