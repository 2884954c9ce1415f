import { readBsonDocument } from './bson.ts';
import type { MaasClient } from './client.ts';

/**
 * Drydock's alias resolution (objects/node.py _apply_logicalname): a
 * hardware profile's device alias names a bus address; the commissioning
 * lshw XML has a node whose `businfo` is `<bus_type>@<address>`, and its
 * `logicalname` (`/dev/sda`, its last path part used) is the name MAAS gives
 * the device. An address `regexp:<pattern>` matches the address part of
 * the businfo of any node on that bus (Drydock looks only at network nodes).
 *
 * lshw's XML is regular: a node's own `businfo` and `logicalname` come
 * before its child nodes, so the text between a `<node` and the next
 * `<node` or `</node>` is that node's own; no XML parser is needed (none
 * exists on every runtime this runs on).
 */
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();

interface LshwNode {
  businfo: string | null;
  logicalname: string | null;
}

function nodesOf(xml: string): LshwNode[] {
  const out: LshwNode[] = [];
  const parts = xml.split(/<node[\s>]/).slice(1);
  for (const part of parts) {
    const own = part.split(/<node[\s>]|<\/node>/)[0] ?? '';
    const field = (tag: string) => {
      const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(own);
      return m ? unescape(m[1]!) : null;
    };
    out.push({ businfo: field('businfo'), logicalname: field('logicalname') });
  }
  return out;
}

/** The logical name lshw gives the device at `busType@address`, or null. */
export function logicalNameOf(xml: string, busType: string, address: string): string | null {
  let matches: (node: LshwNode) => boolean;
  if (address.startsWith('regexp:')) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${address.slice('regexp:'.length)})`);
    } catch {
      return null;
    }
    matches = (n) => !!n.businfo?.startsWith(`${busType}@`) && pattern.test(n.businfo.slice(busType.length + 1));
  } else {
    matches = (n) => n.businfo === `${busType}@${address}`;
  }
  const found = nodesOf(xml).find((n) => matches(n) && n.logicalname);
  if (!found?.logicalname) return null;
  const parts = found.logicalname.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? null;
}

/** The commissioning lshw XML (`op=details`, as Drydock's build data holds it); null when MAAS has none. */
export async function commissioningLshw(client: MaasClient, systemId: string): Promise<string | null> {
  const details = readBsonDocument(new Uint8Array(await client.bytes({ method: 'GET', path: `machines/${encodeURIComponent(systemId)}/`, op: 'details' })));
  const lshw = details['lshw'];
  if (!lshw) return null;
  return typeof lshw === 'string' ? lshw : new TextDecoder().decode(lshw);
}
