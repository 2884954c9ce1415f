import { pyStr } from './py-str.ts';

/**
 * Jinja2's `urlencode` filter, which Drydock's documentation offers to
 * templates: a string (or any scalar, via Python's str()) becomes its UTF-8
 * bytes percent-encoded, leaving only A-Z a-z 0-9 `_ . - ~` and `/` as they
 * are (urllib's quote with safe='/'); a mapping, or a list of pairs, becomes
 * a query string `k=v&k2=v2` in which `/` is encoded too and spaces are `+`.
 */
const utf8 = new TextEncoder();
const HEX = '0123456789ABCDEF';

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x5f || b === 0x2e || b === 0x2d || b === 0x7e // _ . - ~
  );
}

function urlQuote(value: unknown, forQuery: boolean): string {
  const text = typeof value === 'string' ? value : pyStr(value === undefined ? null : value);
  let out = '';
  for (const b of utf8.encode(text)) {
    if (isUnreserved(b) || (b === 0x2f && !forQuery)) out += String.fromCharCode(b);
    else if (b === 0x20 && forQuery) out += '+';
    else out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

function pairs(value: unknown[] | Record<string, unknown>): Array<[unknown, unknown]> {
  if (!Array.isArray(value)) return Object.entries(value);
  return value.map((item) => {
    // Python unpacks each item into (key, value): a 2-item list or a 2-character string.
    if (Array.isArray(item) && item.length === 2) return [item[0], item[1]];
    if (typeof item === 'string' && [...item].length === 2) return [...item] as [string, string];
    throw new Error('urlencode: a list must hold (key, value) pairs');
  });
}

export function urlencode(value: unknown): string {
  // Jinja2's Undefined iterates as empty, so it encodes to nothing.
  if (value === undefined) return '';
  const isMapping = typeof value === 'object' && value !== null && !Array.isArray(value) && isPlain(value);
  if (!Array.isArray(value) && !isMapping) return urlQuote(value, false);
  return pairs(value as unknown[] | Record<string, unknown>)
    .map(([k, v]) => `${urlQuote(k, true)}=${urlQuote(v, true)}`)
    .join('&');
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
