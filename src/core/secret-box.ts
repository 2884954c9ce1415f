/**
 * AES-256-GCM over Web Crypto (every runtime) for what the service must read
 * back but never keep in clear: stored designs, whose oob sections hold BMC
 * credentials (Drydock keeps them in Deckhand, which can encrypt documents
 * through Barbican). A sealed text is `ddenc1:<iv>.<ciphertext>` in base64;
 * a text without that prefix was stored before encryption and is read as is.
 */
export interface SecretBox {
  seal(text: string): Promise<string>;
  open(stored: string): Promise<string>;
}

const PREFIX = 'ddenc1:';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Raised when a sealed text does not open with this key (another key, or damaged). */
export class SealedTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedTextError';
  }
}

const ALPHABET = encoder.encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

// By hand into bytes: String.fromCharCode over chunks and btoa took 150-230 ms
// for a 1 MB design (bench/oob.ts), this about a hundredth of it.
function toBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ALPHABET[n >> 18]!;
    out[o++] = ALPHABET[(n >> 12) & 63]!;
    out[o++] = ALPHABET[(n >> 6) & 63]!;
    out[o++] = ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out[o++] = ALPHABET[n >> 18]!;
    out[o++] = ALPHABET[(n >> 12) & 63]!;
    out[o++] = rest === 2 ? ALPHABET[(n >> 6) & 63]! : 61; // '='
    out[o++] = 61;
  }
  return decoder.decode(out);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The 32 key bytes of a base64 key (e.g. `openssl rand -base64 32`), or null when it is not one. */
export function keyBytesOf(base64: string): Uint8Array<ArrayBuffer> | null {
  try {
    const bytes = fromBase64(base64.trim());
    return bytes.length === 32 ? bytes : null;
  } catch {
    return null;
  }
}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** Built synchronously (Workers build their services on the first request, synchronously); the key is imported on first use. */
export function createSecretBox(keyBytes: Uint8Array<ArrayBuffer>): SecretBox {
  let imported: Promise<CryptoKey> | null = null;
  const keyOf = () => (imported ??= crypto.subtle.importKey('raw', keyBytes, 'AES-GCM', false, ['encrypt', 'decrypt']));
  return {
    async seal(text) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await keyOf(), encoder.encode(text));
      return `${PREFIX}${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
    },
    async open(stored) {
      if (!isSealed(stored)) return stored;
      const [iv, body] = stored.slice(PREFIX.length).split('.');
      const key = await keyOf();
      try {
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv ?? '') }, key, fromBase64(body ?? ''));
        return decoder.decode(plain);
      } catch {
        throw new SealedTextError('a stored design does not decrypt with DESIGN_ENCRYPTION_KEY (was the key changed?)');
      }
    },
  };
}
