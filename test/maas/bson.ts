/**
 * The one BSON document MAAS sends: `details` answers
 * {name: Binary | null} (canonical/maas src/maasserver/api/nodes.py details,
 * bson.BSON.encode). Element types from bsonspec.org: 0x05 binary
 * (subtype 0x00 generic), 0x0A null.
 */
export function encodeBsonBinaries(doc: Record<string, string | Uint8Array | null>): Uint8Array {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const name = Buffer.concat([Buffer.from(key, 'utf8'), Buffer.from([0])]);
    if (value === null) {
      parts.push(Buffer.from([0x0a]), name);
      continue;
    }
    const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    const len = Buffer.alloc(4);
    len.writeInt32LE(data.length);
    parts.push(Buffer.from([0x05]), name, len, Buffer.from([0x00]), data);
  }
  const body = Buffer.concat(parts);
  const total = Buffer.alloc(4);
  total.writeInt32LE(4 + body.length + 1);
  return Buffer.concat([total, body, Buffer.from([0])]);
}

/** Decodes the same shape (for the simulator's own tests and driver tests). */
export function decodeBsonBinaries(buf: Uint8Array): Record<string, Buffer | null> {
  const b = Buffer.from(buf);
  const out: Record<string, Buffer | null> = {};
  let at = 4;
  while (at < b.length - 1) {
    const type = b[at++];
    const end = b.indexOf(0, at);
    const key = b.toString('utf8', at, end);
    at = end + 1;
    if (type === 0x0a) {
      out[key] = null;
    } else if (type === 0x05) {
      const len = b.readInt32LE(at);
      out[key] = b.subarray(at + 5, at + 5 + len);
      at += 5 + len;
    } else {
      throw new Error(`BSON element type ${type} not in MAAS's details document`);
    }
  }
  return out;
}
