import { describe, expect, it } from 'vitest';
import { designs } from '../../src/db/schema/designs.ts';
import { buildTestApp, jsonOf } from '../helpers/app.ts';
import { asAdmin, designApp, postYaml, smallSite } from './design-fixtures.ts';

// Designs carry BMC credentials (oob.credential): the designs table keeps
// them sealed with the design key; the API answers them as uploaded.

const CREDENTIAL = 'at-rest-bmc-credential-4410';
const withCredential = () => `${smallSite().yaml}\n# oob credential for the test: ${CREDENTIAL}\n`;

describe('stored designs at rest', () => {
  it('keeps no clear text of a design in the table, and answers it as uploaded', async () => {
    const { app, database } = await designApp();
    const yaml = withCredential();
    const { design_id: id } = await jsonOf(await app.request('/api/v1.0/designs', postYaml(yaml)));
    const rows = await database.db.select().from(designs);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.documents).toMatch(/^ddenc1:/);
    expect(JSON.stringify(rows)).not.toContain(CREDENTIAL);
    expect(await (await app.request(`/api/v1.0/designs/${id}`, { headers: asAdmin() })).text()).toBe(yaml);
  });

  it('validates a design:// ref through the sealed row', async () => {
    const { app } = await designApp();
    const { href } = await jsonOf(await app.request('/api/v1.0/designs', postYaml(withCredential())));
    const res = await app.request('/api/v1.0/validatedesign', {
      method: 'POST',
      headers: { ...asAdmin(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ rel: 'design', href, type: 'application/x-yaml' }),
    });
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).status).toBe('Success');
  });

  it('answers 500 naming DESIGN_ENCRYPTION_KEY when the key was changed, without the text', async () => {
    const first = await designApp();
    const { design_id: id } = await jsonOf(await first.app.request('/api/v1.0/designs', postYaml(withCredential())));
    const other = await buildTestApp({
      env: { AUTH_MODE: 'none', DESIGN_ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64') },
      database: first.database,
      designKey: 'from-config',
    });
    const res = await other.app.request(`/api/v1.0/designs/${id}`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain(CREDENTIAL);
    expect(other.logs.map((l) => l.line).join('\n')).toMatch(/DESIGN_ENCRYPTION_KEY \(was the key changed\?\)/);
  });
});
