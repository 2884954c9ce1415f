/**
 * Just enough BSON (bsonspec.org) to read MAAS's `op=details` answer: one
 * document whose values are binary (lshw, lldp XML) or strings. Other types
 * are skipped by their size where BSON gives one, else the read stops.
 */
export function readBsonDocument(bytes: Uint8Array): Record<string, Uint8Array | string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, Uint8Array | string> = {};
  if (bytes.length < 5) return out;
  const end = Math.min(view.getInt32(0, true), bytes.length);
  let at = 4;
  const decoder = new TextDecoder();
  while (at < end - 1) {
    const type = bytes[at++]!;
    const nameEnd = bytes.indexOf(0, at);
    if (type === 0 || nameEnd < 0) break;
    const name = decoder.decode(bytes.subarray(at, nameEnd));
    at = nameEnd + 1;
    if (at + 4 > end) break;
    const size = view.getInt32(at, true);
    if (type === 0x05) {
      // binary: int32 length, subtype byte, bytes
      out[name] = bytes.slice(at + 5, at + 5 + size);
      at += 5 + size;
    } else if (type === 0x02) {
      // string: int32 length (with the trailing NUL), bytes
      out[name] = decoder.decode(bytes.subarray(at + 4, at + 4 + size - 1));
      at += 4 + size;
    } else if (type === 0x03 || type === 0x04) {
      at += size; // embedded document or array: its own int32 size
    } else if (type === 0x0a) {
      at += 0; // null
    } else break;
  }
  return out;
}
