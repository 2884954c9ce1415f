import { beforeEach, describe, expect, it, vi } from 'vitest';
import { keyDigest } from '../../src/bootaction/keys.ts';
import { actionKeyRecord, nodeKeyRecord } from '../../src/bootaction/key-records.ts';
import { ABSENT_KEY_DIGEST } from '../../src/bootaction/records.ts';
import { actionOf, API, bootActionLab, keyed, signal } from './bootaction-fixtures.ts';

// Timing is measured in bench/ (npm run bench:keycheck); this checks the
// reason it matches: an unknown host or action goes through the same lookup
// shape, the same hashing and the same constant-time compare as a known one.
const compared = vi.hoisted(() => [] as Array<[string, string]>);
vi.mock('../../src/core/digest.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/digest.ts')>();
  return {
    ...real,
    digestsEqual: (a: string, b: string) => {
      compared.push([a, b]);
      return real.digestsEqual(a, b);
    },
  };
});

const WRONG = 'ab'.repeat(32);

describe('unknown hosts and actions cost the same work as known ones', () => {
  beforeEach(() => {
    compared.length = 0;
  });

  it('hashes the key and compares it with a stand-in digest for an unknown host', async () => {
    const { app, keys } = await bootActionLab();
    const stored = await keyDigest(keys.get('node00001')!.nodeKey);
    expect((await app.request(`${API}/bootdata/no-such-host/files`, keyed(WRONG))).status).toBe(403);
    expect((await app.request(`${API}/bootdata/node00001/files`, keyed(WRONG))).status).toBe(403);
    expect(compared).toEqual([
      [await keyDigest(WRONG), ABSENT_KEY_DIGEST],
      [await keyDigest(WRONG), stored],
    ]);
  });

  it('hashes the key and compares it with a stand-in digest for an unknown action id', async () => {
    const { app, keys } = await bootActionLab();
    const { actionId } = await actionOf(keys, 'node00001', 'hello-world');
    for (const id of ['01HZZZZZZZZZZZZZZZZZZZZZZZ', 'not-a-ulid', actionId]) {
      expect((await app.request(`${API}/bootactions/${id}`, signal(WRONG, { status: 'Success' }))).status).toBe(403);
    }
    // Two compares each: the action key digest and the node key digest (both stand-ins when unknown).
    expect(compared.map(([a]) => a)).toEqual(Array(6).fill(await keyDigest(WRONG)));
    expect(compared.map(([, b]) => b === ABSENT_KEY_DIGEST)).toEqual([true, true, true, true, false, false]);
    expect(compared.every(([, b]) => b.length === 64)).toBe(true);
  });
});

describe('key records', () => {
  it('answer one record for a known and an unknown name alike, the unknown one with the stand-in digest', async () => {
    const { db, keys, clock } = await bootActionLab();
    const { actionId } = await actionOf(keys, 'node00001', 'hello-world');
    const known = await nodeKeyRecord(db, 'node00001', clock.now());
    const unknown = await nodeKeyRecord(db, 'no-such-host', clock.now());
    expect(Object.keys(unknown)).toEqual(Object.keys(known));
    expect([known.known, known.usable, known.digests]).toEqual([true, true, [await keyDigest(keys.get('node00001')!.nodeKey)]]);
    expect([unknown.known, unknown.usable, unknown.digests]).toEqual([false, false, [ABSENT_KEY_DIGEST]]);
    const action = await actionKeyRecord(db, actionId, clock.now());
    const noAction = await actionKeyRecord(db, '01HZZZZZZZZZZZZZZZZZZZZZZZ', clock.now());
    expect([action.known, action.usable, action.value.actionId]).toEqual([true, true, actionId]);
    expect(Object.keys(noAction)).toEqual(Object.keys(action));
    expect(action.digests).toEqual([
      await keyDigest((await actionOf(keys, 'node00001', 'hello-world')).actionKey),
      await keyDigest(keys.get('node00001')!.nodeKey),
    ]);
    expect([noAction.known, noAction.usable, noAction.digests]).toEqual([false, false, [ABSENT_KEY_DIGEST, ABSENT_KEY_DIGEST]]);
  });
});
