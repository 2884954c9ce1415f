import type { Rule } from './rule.ts';

/**
 * Drydock's LibvirtValidity: a libvirt node needs a qemu+ssh libvirt_uri and
 * a boot MAC. Drydock registers it as DD4002, the code
 * BootactionPackageListValid also uses; we keep the shared code.
 *
 * Differences, on purpose: the scheme must be exactly `qemu+ssh://` (Drydock
 * only checked the prefix `qemu+ssh`, passing `qemu+sshx:` or a bare word),
 * a non-string URI is reported instead of crashing, the scheme message names
 * the node, and "requries" is spelled right.
 */
export const libvirtValidity: Rule = {
  code: 'DD4002',
  longName: 'Valid Libvirt Configuration',
  run(site, _ctx, report) {
    for (const node of site.nodes.values()) {
      if (node.oob.type !== 'libvirt') continue;
      const uri = node.oob.params['libvirt_uri'];
      if (!uri) {
        report.error(
          `OOB parameter libvirt_uri missing for node ${node.name}.`,
          [node.doc],
          'Provide libvirt URI to node hypervisor.',
        );
      } else if (typeof uri !== 'string' || !uri.startsWith('qemu+ssh://')) {
        report.error(
          `OOB parameter libvirt_uri has invalid scheme for node ${node.name}.`,
          [node.doc],
          "Only scheme 'qemu+ssh' is supported.",
        );
      }
      if (!node.bootMac) {
        report.error(
          `libvirt-based node ${node.name} requires defined boot MAC address.`,
          [node.doc],
          "Specify the node's PXE MAC address in metadata.boot_mac",
        );
      }
    }
  },
};
