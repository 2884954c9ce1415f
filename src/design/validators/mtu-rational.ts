import type { Rule } from './rule.ts';

export const MIN_MTU = 1280;
export const MAX_MTU = 65536;

const RANGE_DIAGNOSTIC = 'Define a valid MTU. Standard is 1500, Jumbo is 9100.';

/** As Drydock, an MTU of 0 counts as unset. */
const isSet = (mtu: number | null): mtu is number => mtu !== null && mtu !== 0;
const outOfRange = (mtu: number) => mtu < MIN_MTU || mtu > MAX_MTU;
const rangeMessage = (mtu: number) => `MTU must be between ${MIN_MTU} and ${MAX_MTU}, value is ${mtu}`;

/**
 * Drydock's MtuRational: every MTU lies in [1280, 65536], and a network's MTU
 * is at most that of the link carrying it.
 *
 * Drydock bugs fixed: a network's out-of-range message printed the MTU of the
 * last network link (or crashed when that link had none); and only a link's
 * native network was compared with the link, so a tagged network on a trunk
 * was never checked, and links without a native network overwrote each other.
 * Here a network is compared with every link that carries it (native or
 * allowed), i.e. with the smallest MTU among them.
 */
export const mtuRational: Rule = {
  code: 'DD2003',
  longName: 'MTU Rationality',
  run(site, _ctx, report) {
    // network name -> smallest MTU of the links carrying it
    const parentMtu = new Map<string, number>();
    for (const link of site.networkLinks.values()) {
      const mtu = link.mtu;
      if (!isSet(mtu)) continue;
      if (outOfRange(mtu)) report.error(rangeMessage(mtu), [link.doc], RANGE_DIAGNOSTIC);
      const carried = link.nativeNetwork ? [link.nativeNetwork, ...link.allowedNetworks] : link.allowedNetworks;
      for (const name of carried) {
        const known = parentMtu.get(name);
        if (known === undefined || mtu < known) parentMtu.set(name, mtu);
      }
    }

    for (const net of site.networks.values()) {
      const mtu = net.mtu;
      if (!isSet(mtu)) continue;
      if (outOfRange(mtu)) report.error(rangeMessage(mtu), [net.doc], RANGE_DIAGNOSTIC);
      const linkMtu = parentMtu.get(net.name);
      if (linkMtu !== undefined && mtu > linkMtu) {
        report.error(
          `MTU must be <= the parent Network Link; for Network ${net.name}`,
          [net.doc],
          'Define a MTU less than or equal to that of the carrying network link.',
        );
      }
    }
  },
};
