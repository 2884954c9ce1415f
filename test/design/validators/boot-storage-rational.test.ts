import { describe, expect, it } from 'vitest';
import type { BaremetalNode, Filesystem, Partition, PhysicalDevice, Storage } from '../../../src/design/model.ts';
import { bootStorageRational } from '../../../src/design/validators/boot-storage-rational.ts';
import { executeRule, type RuleContext } from '../../../src/design/validators/rule.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx: RuleContext = { platforms: { images: {} } };
const fs = (mountpoint: string): Filesystem => ({ mountpoint, fstype: 'ext4', mountOptions: 'defaults', fsUuid: null, fsLabel: null });
const part = (name: string, size: string | null, mountpoint?: string): Partition => ({
  name, size, bootable: false, partUuid: null, volumeGroup: null, labels: {}, filesystem: mountpoint ? fs(mountpoint) : null,
});
const disk = (name: string, partitions: Partition[], volumeGroup: string | null = null): PhysicalDevice => ({
  name, labels: {}, volumeGroup, partitions,
});
const node = (name: string, storage: Storage) => makeNode(name, { storage });
/** Drydock's validation.yaml layout, with root and boot sizes to taste. */
const standard = (root: string | null = '20g', boot: string | null = '1g'): Storage => ({
  physicalDevices: [
    disk('sda', [part('root', root, '/'), part('boot', boot, '/boot')]),
    disk('sdb', [], 'log_vg'),
  ],
  volumeGroups: [{ name: 'log_vg', vgUuid: null, logicalVolumes: [{ name: 'log_lv', size: '500m', lvUuid: null, filesystem: fs('/var/log') }] }],
});
const run = (...nodes: BaremetalNode[]) => executeRule(bootStorageRational, siteOf({ nodes }), ctx);
const error = (n: string, message: string, diagnostic: string) => ({
  kind: 'ValidationMessage',
  name: 'DD1001',
  message: `Rational Boot Storage: ${message}`,
  error: true,
  level: 'Error',
  documents: [{ schema: 'drydock/BaremetalNode/v1', name: n }],
  diagnostic,
});
const rootSmall = (n: string) => error(n, `Root volume must be > 20GB on BaremetalNode ${n}`, 'Configure a larger root volume');
const bootSmall = (n: string) => error(n, `Boot volume must be > 1GB on BaremetalNode ${n}`, 'Configure a larger boot volume.');
const rootInvalid = (n: string) =>
  error(n, `Root volume has an invalid size format on BaremetalNode ${n}.`, 'Use a valid root volume storage specification.');
const rootUnset = (n: string) =>
  error(n, `Root volume has to be set and must be > 20GB on BaremetalNode ${n}`, 'All nodes require a defined root volume at least 20GB in size.');

describe('Rational Boot Storage (DD1001)', () => {
  it('passes a 20g root and a 1g boot partition', () => {
    expect(run(node('controller01', standard()), node('compute01', standard()))).toEqual([
      { kind: 'ValidationMessage', name: 'DD1001', message: 'Rational Boot Storage: Validation successful.', error: false, level: 'Info', documents: [], diagnostic: '' },
    ]);
  });

  it('flags a root under 20GB and a boot under 1GB on each node, in site order', () => {
    expect(run(node('controller01', standard('10g', '500m')), node('compute01', standard('10g', '500m')))).toEqual([
      rootSmall('controller01'),
      bootSmall('controller01'),
      rootSmall('compute01'),
      bootSmall('compute01'),
    ]);
  });

  it('flags a node without a root volume', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('data', '100%', '/srv')])], volumeGroups: [] };
    expect(run(node('n1', storage))).toEqual([rootUnset('n1')]);
  });

  it('flags an invalid root size once, without also calling root unset as Drydock did', () => {
    expect(run(node('n1', standard('twenty')))).toEqual([rootInvalid('n1')]);
  });

  it('flags a missing root size, on which Drydock crashed', () => {
    expect(run(node('n1', standard(null)))).toEqual([rootInvalid('n1')]);
  });

  it('flags > and % root sizes as invalid, as Drydock: its node driver sizes root without a device', () => {
    expect(run(node('n1', standard('>30g')), node('n2', standard('30%')))).toEqual([rootInvalid('n1'), rootInvalid('n2')]);
  });

  it('flags an invalid boot size', () => {
    expect(run(node('n1', standard('20g', '1x')))).toEqual([
      error('n1', 'Boot volume has an invalid size format on BaremetalNode n1.', 'Use a valid boot volume storage specification.'),
    ]);
  });

  it('counts binary units in full, where Drydock read 19gi as 19GB', () => {
    expect(run(node('n1', standard('19gi', '954mi')))[0]?.level).toBe('Info');
    expect(run(node('n1', standard('18gi')))).toEqual([rootSmall('n1')]);
  });

  it('checks a boot partition that comes before root, which Drydock skipped', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('boot', '500m', '/boot'), part('root', '30g', '/')])], volumeGroups: [] };
    expect(run(node('n1', storage))).toEqual([bootSmall('n1')]);
  });

  it('accepts a root logical volume, which Drydock rejected as no root at all', () => {
    const storage: Storage = {
      physicalDevices: [disk('sda', [part('boot', '1g', '/boot')]), disk('sdb', [], 'sys')],
      volumeGroups: [{ name: 'sys', vgUuid: null, logicalVolumes: [{ name: 'root', size: '40g', lvUuid: null, filesystem: fs('/') }] }],
    };
    expect(run(node('n1', storage))[0]?.message).toBe('Rational Boot Storage: Validation successful.');
  });

  it('finds root by its mountpoint as well as by its name, as the node driver does', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('os', '10g', '/')])], volumeGroups: [] };
    expect(run(node('n1', storage))).toEqual([rootSmall('n1')]);
  });

  it('does not require a boot volume', () => {
    const storage: Storage = { physicalDevices: [disk('sda', [part('root', '20g', '/')])], volumeGroups: [] };
    expect(run(node('n1', storage))[0]?.level).toBe('Info');
  });
});
