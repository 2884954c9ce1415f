/**
 * Base64 as Drydock's pipeline segments do it with Python's base64 module:
 * b64encode (standard alphabet, padded, no line breaks) and b64decode without
 * validate=True, which is binascii.a2b_base64 in its lenient mode: characters
 * outside the alphabet (line breaks, spaces) are skipped, decoding stops at a
 * complete padding sequence, and leftover bits are an error. Design authors
 * wrap long base64 data over several lines, so the leniency matters.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d; // '='

export class Base64Error extends Error {}

export function base64Encode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ALPHABET.charCodeAt(n >>> 18);
    out[o++] = ALPHABET.charCodeAt((n >>> 12) & 63);
    out[o++] = ALPHABET.charCodeAt((n >>> 6) & 63);
    out[o++] = ALPHABET.charCodeAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = ALPHABET.charCodeAt(n >>> 18);
    out[o++] = ALPHABET.charCodeAt((n >>> 12) & 63);
    out[o++] = rest === 2 ? ALPHABET.charCodeAt((n >>> 6) & 63) : PAD;
    out[o++] = PAD;
  }
  return out;
}

/** Python's b64decode(text): a str argument must be ASCII, as Python insists. */
export function base64DecodeText(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) throw new Base64Error('string argument should contain only ASCII characters');
    bytes[i] = c;
  }
  return base64Decode(bytes);
}

export function base64Decode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.floor((input.length * 3) / 4) + 3);
  let o = 0;
  let quad = 0;
  let pads = 0;
  let left = 0;
  let dataChars = 0;
  for (const byte of input) {
    if (byte === PAD) {
      // A pad after at least two data characters of a quad ends the data.
      if (quad >= 2 && quad + ++pads >= 4) return out.slice(0, o);
      continue;
    }
    const v = DECODE[byte]!;
    if (v < 0) continue;
    dataChars++;
    pads = 0;
    switch (quad) {
      case 0:
        left = v;
        quad = 1;
        break;
      case 1:
        out[o++] = (left << 2) | (v >> 4);
        left = v & 0x0f;
        quad = 2;
        break;
      case 2:
        out[o++] = (left << 4) | (v >> 2);
        left = v & 0x03;
        quad = 3;
        break;
      default:
        out[o++] = (left << 6) | v;
        quad = 0;
    }
  }
  if (quad === 1) {
    throw new Base64Error(`invalid base64: ${dataChars} data characters cannot be 1 more than a multiple of 4`);
  }
  if (quad !== 0) throw new Base64Error('invalid base64: incorrect padding');
  return out.slice(0, o);
}
