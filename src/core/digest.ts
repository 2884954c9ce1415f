/** SHA-256 digests and constant-time comparison over Web Crypto (every runtime). */
import { nodeCrypto } from './node-crypto.ts';

const encoder = new TextEncoder();

/**
 * Inputs up to this size are hashed in the calling thread where node:crypto
 * is at hand (Node, Deno): Web Crypto's digest is a thread-pool job whose
 * overhead is many times the hash of a key or a cache address (it was 11 %
 * of a boot data request). Larger inputs (designs) stay off the thread.
 */
const SYNC_HASH_MAX = 64 * 1024;

export async function sha256Hex(text: string | Uint8Array<ArrayBuffer>): Promise<string> {
  if (nodeCrypto && text.length <= SYNC_HASH_MAX) return nodeCrypto.createHash('sha256').update(text).digest('hex');
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return toHex(new Uint8Array(digest));
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

type SubtleWithTimingSafeEqual = SubtleCrypto & {
  timingSafeEqual?: (a: ArrayBufferView | ArrayBuffer, b: ArrayBufferView | ArrayBuffer) => boolean;
};

/**
 * Compares two equal-length digests without an early exit. workerd has
 * crypto.subtle.timingSafeEqual; elsewhere a loop that always runs to the end.
 * Inputs are digests, so their length reveals nothing about a secret.
 */
export function digestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const subtle = crypto.subtle as SubtleWithTimingSafeEqual;
  if (typeof subtle.timingSafeEqual === 'function') return subtle.timingSafeEqual(x, y);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
