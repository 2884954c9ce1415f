import { testBox } from '../../helpers/design-box.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/types.ts';
import { storeDesign } from '../../../src/services/designs.ts';
import { memoryDatabase, rejection, resolverFor } from './setup.ts';

let database: Database;
beforeEach(async () => {
  database = await memoryDatabase();
});
afterEach(async () => {
  await database.close();
});

const ctx = () => ({ db: database.db, clock: () => new Date('2030-01-01T00:00:00Z'), siteDesign: { box: testBox } });

describe('design:// refs', () => {
  it('round-trips a design stored with storeDesign', async () => {
    const text = 'schema: drydock/Region/v1\nmetadata: {name: sitename}\n';
    const { designId } = await storeDesign(ctx(), { text, format: 'yaml', createdBy: 'alice' });
    const { resolver } = resolverFor(database);
    expect(await resolver.resolve(`design://${designId}`)).toEqual({
      text,
      contentType: 'application/yaml',
      ref: `design://${designId}`,
    });
    expect((await resolver.resolve(`design://${designId.toUpperCase()}/`)).text).toBe(text);
  });

  it('reports a JSON design as application/json', async () => {
    const { designId } = await storeDesign(ctx(), { text: '[]', format: 'json', createdBy: null });
    expect((await resolverFor(database).resolver.resolve(`design://${designId}`)).contentType).toBe('application/json');
  });

  it('answers 400 for an unknown design id', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const err = await rejection(resolverFor(database).resolver.resolve(`design://${id}`));
    expect(err.message).toBe(`Cannot resolve design_ref design://${id}: no stored design has that id`);
  });

  it('answers 400 for a design ref without an id', async () => {
    for (const ref of ['design://', 'design:abc', 'design://a/b']) {
      expect((await rejection(resolverFor(database).resolver.resolve(ref))).message).toContain('expected design://<design id>');
    }
  });

  it('enforces a limit lowered after the design was stored', async () => {
    const { designId } = await storeDesign(ctx(), { text: 'x'.repeat(100), format: 'yaml', createdBy: null });
    const err = await rejection(resolverFor(database, { maxBytes: 50 }).resolver.resolve(`design://${designId}`));
    expect(err.message).toContain('design exceeds the limit of 50 bytes');
  });
});
