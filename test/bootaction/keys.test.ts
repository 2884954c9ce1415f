import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveActionKey, generateNodeKey, isKeyHex, keyDigest } from '../../src/bootaction/keys.ts';

const NODE_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const ACTION_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** The reference: node:crypto's HMAC over the node key's raw 32 bytes, not its hex text. */
const nodeHmac = (nodeKeyHex: string, actionId: string) =>
  createHmac('sha256', Buffer.from(nodeKeyHex, 'hex')).update(actionId, 'utf8').digest('hex');

describe('generateNodeKey', () => {
  it('makes 256-bit keys as 64 lowercase hex characters', () => {
    const key = generateNodeKey();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(isKeyHex(key)).toBe(true);
  });

  it('makes a fresh key every time', () => {
    const keys = new Set(Array.from({ length: 100 }, generateNodeKey));
    expect(keys.size).toBe(100);
  });
});

describe('isKeyHex', () => {
  it('accepts exactly 64 lowercase hex characters', () => {
    expect(isKeyHex(NODE_KEY)).toBe(true);
  });

  it.each([
    ['uppercase hex', NODE_KEY.toUpperCase()],
    ['63 characters', NODE_KEY.slice(1)],
    ['65 characters', `${NODE_KEY}0`],
    ['a non-hex character', `${NODE_KEY.slice(1)}g`],
    ['surrounding whitespace', ` ${NODE_KEY}`],
    ['a trailing newline', `${NODE_KEY}\n`],
    ['the empty string', ''],
  ])('rejects %s', (_, value) => {
    expect(isKeyHex(value)).toBe(false);
  });
});

describe('deriveActionKey', () => {
  it('is HMAC-SHA256 keyed with the raw node key over the action id', async () => {
    const key = await deriveActionKey(NODE_KEY, ACTION_ID);
    expect(key).toBe(nodeHmac(NODE_KEY, ACTION_ID));
    // Pinned as well, so a change of both sides at once cannot pass unnoticed.
    expect(key).toBe('988a21ca4b76d773ae81ab524926fcdf2cec225b62c857653cfb8eb290ff2225');
  });

  it('matches node:crypto for random node keys', async () => {
    for (let i = 0; i < 20; i++) {
      const nodeKey = generateNodeKey();
      const actionId = `01J${i.toString().padStart(23, '0')}`;
      expect(await deriveActionKey(nodeKey, actionId)).toBe(nodeHmac(nodeKey, actionId));
    }
  });

  it('gives an action key that is itself a valid key', async () => {
    expect(isKeyHex(await deriveActionKey(NODE_KEY, ACTION_ID))).toBe(true);
  });

  it('differs between actions of one node and between nodes for one action', async () => {
    const a = await deriveActionKey(NODE_KEY, ACTION_ID);
    expect(await deriveActionKey(NODE_KEY, '01ARZ3NDEKTSV4RRFFQ69G5FAW')).not.toBe(a);
    expect(await deriveActionKey(generateNodeKey(), ACTION_ID)).not.toBe(a);
  });

  it('refuses a node key that is not 64 lowercase hex characters', async () => {
    await expect(deriveActionKey(NODE_KEY.toUpperCase(), ACTION_ID)).rejects.toThrow(/node key/);
    await expect(deriveActionKey('abcd', ACTION_ID)).rejects.toThrow(/node key/);
  });
});

describe('keyDigest', () => {
  it('is the SHA-256 hex of the key as written (its hex text)', async () => {
    const digest = await keyDigest(NODE_KEY);
    expect(digest).toBe(createHash('sha256').update(NODE_KEY, 'utf8').digest('hex'));
    expect(digest).toBe('6c86c6aac5fb24bcf5d9939cb7d7d5645ce39418f449e03b262dd4fa14b4b92b');
  });

  it('is not the key itself, nor the digest of its raw bytes', async () => {
    const digest = await keyDigest(NODE_KEY);
    expect(digest).not.toBe(NODE_KEY);
    expect(digest).not.toBe(createHash('sha256').update(Buffer.from(NODE_KEY, 'hex')).digest('hex'));
  });

  it('differs for different keys', async () => {
    expect(await keyDigest(generateNodeKey())).not.toBe(await keyDigest(NODE_KEY));
  });
});
