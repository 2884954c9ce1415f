import { describe, expect, it } from 'vitest';
import { designs } from '../../src/db/schema/designs.ts';
import { jsonOf } from '../helpers/app.ts';
import { ADMIN, agentApp, API, asAgent, newAgent, NOW, queueCall } from './agents-fixtures.ts';
import { postYaml, smallSite } from './design-fixtures.ts';

describe('GET /agents/designs/{content_hash}', () => {
  it("answers the pinned design a call of the agent's site refers to, and 404 to anything else", async () => {
    const { app, db } = await agentApp();
    const yaml = smallSite().yaml;
    const stored = await jsonOf(await app.request(`${API}/designs`, postYaml(yaml)));
    const hash: string = stored.content_hash;
    const east = await newAgent(app, 'east-lab');
    const west = await newAgent(app, 'west-lab');
    // Stored, but no call refers to it yet.
    expect((await app.request(`${API}/agents/designs/${hash}`, asAgent(east.token))).status).toBe(404);
    await queueCall(db, 'east-lab', { contentHash: hash, state: 'done' });
    const res = await app.request(`${API}/agents/designs/${hash}`, asAgent(east.token));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/x-yaml; charset=utf-8');
    expect(await res.text()).toBe(yaml);
    // Sealed at rest: the row does not hold the text.
    const [row] = await db.select().from(designs);
    expect(row!.documents).not.toContain(yaml.slice(0, 40));
    // Another site's agent: the same 404 as for a design nobody stored.
    const other = await app.request(`${API}/agents/designs/${hash}`, asAgent(west.token));
    expect(other.status).toBe(404);
    expect((await app.request(`${API}/agents/designs/${'0'.repeat(64)}`, asAgent(east.token))).status).toBe(404);
    // A Keystone token is not an agent token.
    expect((await app.request(`${API}/agents/designs/${hash}`, { headers: { 'X-Auth-Token': ADMIN } })).status).toBe(401);
  });
});

describe('agents in /health/extended', () => {
  it('lists each agent not revoked, live or not, without failing health; none is healthy too', async () => {
    const { app, advance } = await agentApp();
    const extended = async () => {
      const res = await app.request(`${API}/health/extended`, { headers: { 'X-Auth-Token': ADMIN } });
      return { status: res.status, body: await jsonOf(res) };
    };
    const none = await extended();
    expect(none.status).toBe(200);
    expect(none.body.details.messageList.filter((m: { name: string }) => m.name.startsWith('agent '))).toEqual([]);
    const east = await newAgent(app, 'east-lab', 'east-1');
    await newAgent(app, 'west-lab', 'west-1');
    const gone = await newAgent(app, 'west-lab', 'west-2');
    await app.request(`${API}/agents/${gone.id}`, { method: 'DELETE', headers: { 'X-Auth-Token': ADMIN } });
    advance(10);
    await app.request(`${API}/agents/heartbeat`, asAgent(east.token, { version: '0.1.0' }));
    const { status, body } = await extended();
    expect(status).toBe(200);
    const lines = body.details.messageList.filter((m: { name: string }) => m.name.startsWith('agent '));
    expect(lines).toEqual([
      expect.objectContaining({ name: 'agent east-1', error: false, message: `site east-lab: live, last seen ${new Date(NOW.getTime() + 10_000).toISOString()}, version 0.1.0` }),
      expect.objectContaining({ name: 'agent west-1', error: false, message: 'site west-lab: not live, never seen, version unknown' }),
    ]);
    expect(body.details.errorCount).toBe(0);
  });
});
