import { OobError } from '../oob/oob-error.ts';
import type { Progress } from '../types.ts';
import type { Virsh } from './virsh.ts';

// The domain's <os> element; `<os` must be followed by a space or `>`, so
// <osinfo…> or a prefixed <libosinfo:os …/> in <metadata> is not taken.
const OS = /<os(\s[^>]*)?>([\s\S]*?)<\/os>/;
const OS_BOOT = /[ \t]*<boot\s+dev=(['"])([^'"]*)\1\s*\/>\n?/g;
const DEVICE_BOOT = /<boot\s+order=/;

/** The boot devices of the domain's <os>, in order (e.g. ['hd'] or ['network', 'hd']). */
export function bootOrderOf(xml: string): string[] {
  const os = OS.exec(xml);
  if (!os) throw new OobError('the domain XML has no <os> element');
  return [...(os[2] ?? '').matchAll(OS_BOOT)].map((m) => m[2] as string);
}

/** The XML with <os>'s boot devices replaced by network, then hd (Drydock's order). */
export function withNetworkFirst(xml: string): string {
  if (DEVICE_BOOT.test(xml)) {
    throw new OobError(
      'the domain gives its devices a boot order (<boot order=…/>), which libvirt does not allow together with <os><boot dev=…/>; ' +
        'give the network interface <boot order=\'1\'/> in the domain, or remove the device boot orders',
    );
  }
  return xml.replace(OS, (_all, attrs: string | undefined, body: string) => {
    const kept = body.replace(OS_BOOT, '');
    const indent = /\n([ \t]*)<\/?[a-z]/.exec(body)?.[1] ?? '    ';
    const tail = /\n[ \t]*$/.exec(kept)?.[0] ?? '\n  ';
    const trimmed = kept.replace(/\n[ \t]*$/, '');
    return `<os${attrs ?? ''}>${trimmed}\n${indent}<boot dev='network'/>\n${indent}<boot dev='hd'/>${tail}</os>`;
  });
}

/**
 * set_node_boot. libvirt has no one-time boot override (Redfish's Once,
 * IPMI's bootdev options=efiboot,…), so, as Drydock, the domain's persistent
 * definition boots from the network first, then its disk; it stays so until
 * someone changes it (a node that PXE-boots into an installed system is
 * normally told by the boot server to boot locally). The definition is read
 * with --security-info so that defining it back keeps graphics passwords and
 * the like (Drydock's VIR_DOMAIN_XML_SECURE); that XML is never logged.
 * The change applies at the next cold start (power_cycle_node is destroy,
 * then start), and is read back.
 */
export async function setNetworkBootFirst(virsh: Virsh, domain: string): Promise<Progress> {
  const dump = () => virsh.run(['dumpxml', '--inactive', '--security-info', '--domain', domain]);
  const xml = await dump();
  const before = bootOrderOf(xml);
  if (before[0] === 'network') {
    return { state: 'done', detail: `the domain already boots from the network first (boot order ${before.join(', ')})` };
  }
  await virsh.define(withNetworkFirst(xml));
  const after = bootOrderOf(await dump());
  if (after[0] !== 'network') {
    throw new OobError(`the domain was defined with network first but reads back boot order ${after.join(', ') || '(none)'}`);
  }
  return {
    state: 'done',
    detail: `the domain boots from the network first (read back: ${after.join(', ')}; was ${before.join(', ') || 'unset'}); libvirt has no one-time override`,
  };
}
