import { describe, expect, it } from 'vitest';
import { compileClean, hostProfile, node, nodeOf } from './builders.ts';

const base = hostProfile('base', {
  interfaces: {
    pxe: { device_link: 'pxe', slaves: ['prim_nic01'], networks: ['pxe'] },
    bond0: { device_link: 'gp', slaves: ['prim_nic01', 'prim_nic02'], networks: ['oam', 'storage'] },
    mgmt: { device_link: 'mgmt', slaves: ['eno3'], networks: ['mgmt'] },
  },
});

describe('interfaces', () => {
  it('maps device_link, slaves and networks, with no sriov unless written', () => {
    const site = compileClean(base, node('n1', { host_profile: 'base' }));
    expect(nodeOf(site, 'n1').interfaces[0]).toEqual({
      deviceName: 'pxe',
      networkLink: 'pxe',
      hardwareSlaves: ['prim_nic01'],
      networks: ['pxe'],
      sriov: false,
      vfCount: null,
      trustedMode: null,
    });
  });

  it('merges an interface of the same name field by field and keeps the parent order', () => {
    const site = compileClean(
      base,
      node('n1', {
        host_profile: 'base',
        interfaces: { bond0: { networks: ['!storage', 'private'] }, eth9: { device_link: 'extra', slaves: ['eth9'] } },
      }),
    );
    const ifaces = nodeOf(site, 'n1').interfaces;
    expect(ifaces.map((i) => i.deviceName)).toEqual(['pxe', 'bond0', 'mgmt', 'eth9']);
    expect(ifaces[1]).toMatchObject({ networkLink: 'gp', hardwareSlaves: ['prim_nic01', 'prim_nic02'], networks: ['private', 'oam'] });
    expect(ifaces[3]).toMatchObject({ networkLink: 'extra', hardwareSlaves: ['eth9'], networks: [] });
  });

  it('removes an inherited interface named with ! and keeps the others (Drydock kept only the last)', () => {
    const site = compileClean(base, node('n1', { host_profile: 'base', interfaces: { '!bond0': {} } }));
    expect(nodeOf(site, 'n1').interfaces.map((i) => i.deviceName)).toEqual(['pxe', 'mgmt']);
  });

  it('removes an inherited interface whose value is null, as documented (Drydock never appended the marker)', () => {
    const site = compileClean(base, node('n1', { host_profile: 'base', interfaces: { pxe: null } }));
    expect(nodeOf(site, 'n1').interfaces.map((i) => i.deviceName)).toEqual(['bond0', 'mgmt']);
  });

  it('maps sriov vf_count and the schema key trustmode (Drydock read trustedmode and lost it)', () => {
    const site = compileClean(
      hostProfile('p', { interfaces: { ens1: { sriov: { vf_count: 8, trustmode: true } }, ens2: { sriov: {} } } }),
    );
    const ifaces = site.hostProfiles.get('p')?.interfaces;
    expect(ifaces?.[0]).toMatchObject({ sriov: true, vfCount: 8, trustedMode: true });
    expect(ifaces?.[1]).toMatchObject({ sriov: true, vfCount: 0, trustedMode: false });
  });

  it('keeps sriov settings through a merge, field by field (Drydock dropped them)', () => {
    const site = compileClean(
      hostProfile('p', { interfaces: { ens1: { device_link: 'l', sriov: { vf_count: 8, trustmode: true } } } }),
      hostProfile('c', { host_profile: 'p', interfaces: { ens1: { networks: ['n'] } } }),
      hostProfile('d', { host_profile: 'p', interfaces: { ens1: { sriov: { vf_count: 2 } } } }),
    );
    expect(site.hostProfiles.get('c')?.interfaces[0]).toMatchObject({ sriov: true, vfCount: 8, trustedMode: true, networks: ['n'] });
    expect(site.hostProfiles.get('d')?.interfaces[0]).toMatchObject({ sriov: true, vfCount: 2, trustedMode: true });
  });
});
