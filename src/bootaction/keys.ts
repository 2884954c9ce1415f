import { sha256Hex, toHex } from '../core/digest.ts';
import { nodeCrypto } from '../core/node-crypto.ts';

/**
 * Boot action keys (ARCHITECTURE.md, "better than Drydock's"): a random
 * 256-bit node key per deployment, handed to the node driver and stored only
 * as a SHA-256 digest; per boot action a ULID action id and an action key
 * HMAC-SHA256(node key, action id), also stored only as a digest. The
 * renderer re-derives action keys from the node key the node presents.
 */
const HEX_64 = /^[0-9a-f]{64}$/;

export function generateNodeKey(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** Keys travel as lowercase hex; anything else can never match (403, never 500). */
export function isKeyHex(value: string): boolean {
  return HEX_64.test(value);
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export async function deriveActionKey(nodeKeyHex: string, actionId: string): Promise<string> {
  if (!isKeyHex(nodeKeyHex)) throw new Error('node key must be 64 lowercase hex characters');
  // In the calling thread where node:crypto is at hand (see core/digest.ts); the same HMAC.
  if (nodeCrypto) return nodeCrypto.createHmac('sha256', hexToBytes(nodeKeyHex)).update(actionId).digest('hex');
  const key = await crypto.subtle.importKey('raw', hexToBytes(nodeKeyHex), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(actionId));
  return toHex(new Uint8Array(mac));
}

/** What the database keeps of a key: the SHA-256 of its hex form. */
export function keyDigest(keyHex: string): Promise<string> {
  return sha256Hex(keyHex);
}
