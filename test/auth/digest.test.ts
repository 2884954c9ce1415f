import { describe, expect, it } from 'vitest';
import { sha256Hex, toHex } from '../../src/core/digest.ts';
import { deriveActionKey } from '../../src/bootaction/keys.ts';

const subtleSha = async (bytes: Uint8Array<ArrayBuffer>) => toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));

describe('digests in the calling thread (node:crypto) and off it (Web Crypto)', () => {
  it('give the same SHA-256 for text and bytes, small and large, non-ASCII included', async () => {
    for (const text of ['', 'abc', 'ü€𝄞 key', 'x'.repeat(64 * 1024), 'y'.repeat(64 * 1024 + 1)]) {
      const bytes = new TextEncoder().encode(text);
      expect(await sha256Hex(text)).toBe(await subtleSha(bytes));
      expect(await sha256Hex(bytes)).toBe(await subtleSha(bytes));
    }
  });

  it('derive the same action key as Web Crypto HMAC-SHA256', async () => {
    const nodeKey = 'a1'.repeat(32);
    const raw = new Uint8Array(32).fill(0xa1);
    const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const mac = toHex(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('01HZXAMPLEACTION0000000000'))));
    expect(await deriveActionKey(nodeKey, '01HZXAMPLEACTION0000000000')).toBe(mac);
  });
});
