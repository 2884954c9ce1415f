import { describe, expect, it } from 'vitest';
import { bootOrderOf, withNetworkFirst } from '../../../src/drivers/libvirt/boot.ts';
import { OobError } from '../../../src/drivers/oob/oob-error.ts';

// The domain XML edit of set_node_boot, on definitions as libvirt prints them
// (the live tests cover the round trip through libvirtd).

const EFI = `<domain type='kvm'>
  <name>n1</name>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://ubuntu.com/ubuntu/22.04"/>
    </libosinfo:libosinfo>
  </metadata>
  <os firmware='efi'>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
    <nvram>/var/lib/libvirt/qemu/nvram/n1_VARS.fd</nvram>
    <boot dev='cdrom'/>
    <boot dev="hd"/>
    <bootmenu enable='no'/>
  </os>
  <devices>
    <graphics type='vnc' port='-1' passwd='vnc-secret'/>
  </devices>
</domain>
`;

describe('network-first boot order in the domain XML', () => {
  it('replaces <os>\'s boot devices with network, hd and keeps everything else as it was', () => {
    const out = withNetworkFirst(EFI);
    expect(bootOrderOf(out)).toEqual(['network', 'hd']);
    for (const kept of ["<os firmware='efi'>", '<loader readonly', '<nvram>', "<bootmenu enable='no'/>", "passwd='vnc-secret'", '<libosinfo:os id=']) {
      expect(out).toContain(kept);
    }
    expect(out.replace(/\s*<boot dev=[^>]*>/g, '')).toBe(EFI.replace(/\s*<boot dev=[^>]*>/g, ''));
  });

  it('adds the boot devices to an <os> that names none', () => {
    const xml = "<domain><os>\n    <type>hvm</type>\n  </os><devices/></domain>";
    expect(bootOrderOf(xml)).toEqual([]);
    expect(bootOrderOf(withNetworkFirst(xml))).toEqual(['network', 'hd']);
  });

  it('refuses a domain whose devices carry their own boot order (libvirt allows one or the other)', () => {
    const xml = "<domain><os><type>hvm</type></os><devices><disk><boot order='1'/></disk></devices></domain>";
    expect(() => withNetworkFirst(xml)).toThrow(OobError);
  });

  it('says so when the XML has no <os>', () => {
    expect(() => bootOrderOf('<domain><name>x</name></domain>')).toThrow(/no <os> element/);
  });
});
