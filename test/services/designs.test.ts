import { createHash } from 'node:crypto';
import { testBox } from '../helpers/design-box.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/types.ts';
import { ApiError } from '../../src/core/errors.ts';
import { getDesign, listDesigns, storeDesign } from '../../src/services/designs.ts';
import { memoryDatabase } from '../design/resolve/setup.ts';

let database: Database;
let now: number;
let ctx: Parameters<typeof storeDesign>[0];

beforeEach(async () => {
  database = await memoryDatabase();
  now = Date.parse('2030-01-01T00:00:00Z');
  ctx = { db: database.db, clock: () => new Date(now), siteDesign: { box: testBox } };
});
afterEach(async () => {
  await database.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('storeDesign', () => {
  it('stores the text and answers its id, time, hash and byte size', async () => {
    const text = 'metadata:\n  name: café\n';
    const stored = await storeDesign(ctx, { text, format: 'yaml', createdBy: 'alice' });
    expect(stored).toEqual({
      designId: expect.stringMatching(UUID),
      created: new Date(now),
      contentHash: sha256(text),
      size: Buffer.byteLength(text, 'utf8'),
      reused: false,
    });
    expect(await getDesign(ctx, stored.designId)).toEqual({
      designId: stored.designId,
      created: new Date(now),
      createdBy: 'alice',
      format: 'yaml',
      documents: text,
      contentHash: sha256(text),
      size: 24,
    });
  });

  it('returns the existing record for content already stored', async () => {
    const first = await storeDesign(ctx, { text: 'a: 1\n', format: 'yaml', createdBy: 'alice' });
    now += 60_000;
    const again = await storeDesign(ctx, { text: 'a: 1\n', format: 'yaml', createdBy: 'bob' });
    expect(again).toEqual({ ...first, reused: true });
    expect(await listDesigns(ctx)).toHaveLength(1);
  });

  it('agrees on one record when the same design is stored concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => storeDesign(ctx, { text: '{"a":1}', format: 'json', createdBy: null })),
    );
    expect(new Set(results.map((r) => r.designId)).size).toBe(1);
    expect(results.filter((r) => !r.reused)).toHaveLength(1);
    expect(await listDesigns(ctx)).toHaveLength(1);
  });

  it('keeps the same bytes declared in another format as a separate design', async () => {
    const yaml = await storeDesign(ctx, { text: '{"a": 1}', format: 'yaml', createdBy: null });
    const json = await storeDesign(ctx, { text: '{"a": 1}', format: 'json', createdBy: null });
    expect(json.designId).not.toBe(yaml.designId);
    expect(json.reused).toBe(false);
  });

  it('refuses empty or blank text with 400', async () => {
    for (const text of ['', '  \n\t']) {
      const err = await storeDesign(ctx, { text, format: 'yaml', createdBy: null }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 400, reason: 'BadRequest' });
    }
    expect(await listDesigns(ctx)).toEqual([]);
  });
});

describe('listDesigns', () => {
  it('lists designs newest first without their text', async () => {
    const a = await storeDesign(ctx, { text: 'a: 1', format: 'yaml', createdBy: 'alice' });
    now += 1000;
    const b = await storeDesign(ctx, { text: '{"b":2}', format: 'json', createdBy: null });
    expect(await listDesigns(ctx)).toEqual([
      { designId: b.designId, created: new Date(now), createdBy: null, format: 'json', contentHash: sha256('{"b":2}'), size: 7 },
      { designId: a.designId, created: new Date(now - 1000), createdBy: 'alice', format: 'yaml', contentHash: sha256('a: 1'), size: 4 },
    ]);
  });
});

describe('getDesign', () => {
  it('throws NotFound for an unknown id', async () => {
    const err = await getDesign(ctx, '00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, reason: 'NotFound', message: 'Design 00000000-0000-4000-8000-000000000000 not found' });
  });
});
