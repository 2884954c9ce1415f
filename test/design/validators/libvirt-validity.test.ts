import { describe, expect, it } from 'vitest';
import type { BaremetalNode } from '../../../src/design/model.ts';
import { libvirtValidity } from '../../../src/design/validators/libvirt-validity.ts';
import { executeRule } from '../../../src/design/validators/rule.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

const ctx = { platforms: { images: {} } };
const libvirtNode = (name: string, uri: unknown, bootMac: string | null = '52:54:00:00:00:01') =>
  makeNode(name, {
    bootMac,
    oob: { type: 'libvirt', network: null, account: null, credential: null, params: { type: 'libvirt', libvirt_uri: uri } },
  });
const run = (...nodes: BaremetalNode[]) => executeRule(libvirtValidity, siteOf({ nodes }), ctx);

describe('Valid Libvirt Configuration (DD4002)', () => {
  it("keeps Drydock's code and long name (DD4002 is shared with Bootaction pkg_list Validation in Drydock)", () => {
    expect([libvirtValidity.code, libvirtValidity.longName]).toEqual(['DD4002', 'Valid Libvirt Configuration']);
  });

  it('passes a libvirt node with a qemu+ssh URI and a boot MAC', () => {
    const messages = run(libvirtNode('vm1', 'qemu+ssh://virsh@10.0.0.1/system'));
    expect(messages.map((m) => m.level)).toEqual(['Info']);
  });

  it('ignores nodes whose OOB type is not libvirt', () => {
    expect(run(makeNode('n1'))[0]?.level).toBe('Info');
  });

  it('reports a missing libvirt_uri', () => {
    const messages = run(libvirtNode('vm1', undefined));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      level: 'Error',
      message: 'Valid Libvirt Configuration: OOB parameter libvirt_uri missing for node vm1.',
      diagnostic: 'Provide libvirt URI to node hypervisor.',
      documents: [{ schema: 'drydock/BaremetalNode/v1', name: 'vm1' }],
    });
  });

  it('reports a URI of another scheme', () => {
    const messages = run(libvirtNode('vm1', 'qemu+tcp://10.0.0.1/system'));
    expect(messages[0]).toMatchObject({
      message: 'Valid Libvirt Configuration: OOB parameter libvirt_uri has invalid scheme for node vm1.',
      diagnostic: "Only scheme 'qemu+ssh' is supported.",
    });
  });

  it('reports a scheme that only starts with qemu+ssh (Drydock checked the prefix only)', () => {
    expect(run(libvirtNode('vm1', 'qemu+sshx://h/system'))[0]?.level).toBe('Error');
    expect(run(libvirtNode('vm1', 'qemu+ssh'))[0]?.level).toBe('Error');
  });

  it('reports a non-string URI instead of crashing as Drydock did', () => {
    expect(run(libvirtNode('vm1', 42))[0]?.message).toContain('invalid scheme');
  });

  it('reports a libvirt node without a boot MAC', () => {
    const messages = run(libvirtNode('vm1', 'qemu+ssh://h/system', null));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      level: 'Error',
      message: 'Valid Libvirt Configuration: libvirt-based node vm1 requires defined boot MAC address.',
      diagnostic: "Specify the node's PXE MAC address in metadata.boot_mac",
    });
  });
});
