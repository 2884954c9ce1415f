import { describe, expect, it } from 'vitest';
import { createSecretBox, isSealed, keyBytesOf, SealedTextError } from '../../src/core/secret-box.ts';

const key = () => crypto.getRandomValues(new Uint8Array(32));

describe('secret box (designs at rest)', () => {
  it('seals a text so that it does not show, and opens it again', async () => {
    const box = createSecretBox(key());
    const text = 'oob:\n  credential: calvin-é\n' + 'x'.repeat(200_000);
    const sealed = await box.seal(text);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('calvin');
    expect(await box.open(sealed)).toBe(text);
  });

  it('seals one text differently each time (a fresh IV), so equal designs are not told apart by their column', async () => {
    const box = createSecretBox(key());
    expect(await box.seal('same')).not.toBe(await box.seal('same'));
  });

  it('refuses a text sealed with another key, or altered, with a message naming the setting', async () => {
    const sealed = await createSecretBox(key()).seal('secret');
    await expect(createSecretBox(key()).open(sealed)).rejects.toThrow(SealedTextError);
    await expect(createSecretBox(key()).open(sealed)).rejects.toThrow(/DESIGN_ENCRYPTION_KEY/);
    const own = createSecretBox(key());
    const mine = await own.seal('secret');
    const at = mine.indexOf('.') + 2;
    const flipped = mine.slice(0, at) + (mine[at] === 'A' ? 'B' : 'A') + mine.slice(at + 1);
    await expect(own.open(flipped)).rejects.toThrow(SealedTextError);
  });

  it('reads a design stored before encryption as it is', async () => {
    expect(await createSecretBox(key()).open('metadata:\n  name: old\n')).toBe('metadata:\n  name: old\n');
  });

  it('takes a key only as 32 bytes of base64', () => {
    expect(keyBytesOf(btoa(String.fromCharCode(...key())))).toHaveLength(32);
    expect(keyBytesOf(btoa('short'))).toBeNull();
    expect(keyBytesOf('not base64 !!')).toBeNull();
  });
});

describe('secret box base64', () => {
  it('writes the standard base64 of every length remainder, as btoa does', async () => {
    // The sealed form is `ddenc1:<iv>.<ciphertext>`; the IV is 12 random bytes, so check the encoder through keyBytesOf's inverse.
    for (const length of [0, 1, 2, 3, 4, 5, 31, 32, 33, 1000]) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      const box = createSecretBox(crypto.getRandomValues(new Uint8Array(32)));
      const sealed = await box.seal(new TextDecoder('latin1').decode(bytes));
      const [iv, body] = sealed.slice('ddenc1:'.length).split('.');
      expect(atob(iv!)).toHaveLength(12);
      expect(btoa(atob(body!))).toBe(body);
    }
  });
});
